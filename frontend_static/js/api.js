// The one way pages talk to /api/v1: JSON, the CSRF token, and the error envelope turned
// into an ApiError whose message is shown in the page (never a silent failure).
import { t, currentLang } from "app/i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

function cookie(name) {
  const match = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return match ? decodeURIComponent(match[1]) : "";
}

export async function api(path, { method = "GET", body, query } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  Object.entries(query || {}).forEach(([k, v]) => v != null && url.searchParams.set(k, v));
  const headers = { Accept: "application/json", "Accept-Language": currentLang() };
  const isForm = body instanceof FormData; // multipart uploads: the browser sets the boundary
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD"].includes(method)) headers["X-CSRFToken"] = cookie("csrftoken");
  let response;
  try {
    response = await fetch(url, {
      method, headers, credentials: "same-origin",
      body: body === undefined || isForm ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data && data.error;
    if (error) {
      const fields = (error.extra && error.extra.fields) || [];
      const detail = fields.map((f) => `${f.path.split(".").pop()}: ${f.message}`).join("; ");
      throw new ApiError(response.status, error.code, detail ? `${error.message} ${detail}` : error.message, error.extra);
    }
    throw new ApiError(response.status, "http", t("error.unknown", { status: response.status }));
  }
  return data;
}

// Run an action; show any error in the page's error banner (or a given element).
export async function guarded(action, target) {
  const banner = target || document.getElementById("error-banner");
  if (banner) { banner.hidden = true; banner.textContent = ""; }
  try {
    return await action();
  } catch (err) {
    if (banner) {
      banner.textContent = err.message || String(err);
      banner.dataset.code = err.code || "";
      banner.hidden = false;
    }
    return undefined;
  }
}
