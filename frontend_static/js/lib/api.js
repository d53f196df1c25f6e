// The one way pages talk to /api/v1: JSON, the CSRF token, the page's language, and the
// error envelope turned into an ApiError (message in words, field errors kept by path).
import "app/strings/common.js";
import { currentLang, t } from "app/lib/i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    // [{path: "body.payload.title", message, type}]; an error naming one field (extra.field,
    // as the stores' and campaigns' rules answer) is that field's error.
    this.fields = extra.fields || (extra.field ? [{ path: String(extra.field), message }] : []);
  }
}

function cookie(name) {
  const match = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return match ? decodeURIComponent(match[1]) : "";
}

// `fresh`: revalidate with the server instead of the browser's short-lived copy (the shop's
// public reads may be cached for a few seconds; a cart's availability check must not be).
export async function api(path, { method = "GET", body, query, fresh = false } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  Object.entries(query || {}).forEach(([k, v]) => v != null && v !== "" && url.searchParams.set(k, v));
  const headers = { Accept: "application/json", "Accept-Language": currentLang() };
  const isForm = body instanceof FormData; // multipart uploads: the browser sets the boundary
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD"].includes(method)) headers["X-CSRFToken"] = cookie("csrftoken");
  let response;
  try {
    response = await fetch(url, {
      method, headers, credentials: "same-origin", cache: fresh ? "no-cache" : "default",
      body: body === undefined || isForm ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data && data.error;
    if (error) throw new ApiError(response.status, error.code, error.message, error.extra || {});
    throw new ApiError(response.status, "http", t("error.unknown", { status: response.status }));
  }
  return data;
}

// The whole error in words, for places without a form to put field errors beside.
export function errorText(err) {
  const fields = (err && err.fields) || [];
  const detail = fields.map((f) => f.message).filter(Boolean).join(" ");
  const message = (err && err.message) || String(err);
  return detail ? `${message} ${detail}` : message;
}
