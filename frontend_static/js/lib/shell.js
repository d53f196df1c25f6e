// Every page starts here. The server has rendered the head and the header (navigation,
// language, who is signed in); start() puts the page's strings in place, wires the header's
// buttons, loads the signed-in user, runs the page's own code, and then sets
// body[data-ready] so people (and tests) know the page is usable.
import "app/strings/common.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { setLang, t, translatePage } from "app/lib/i18n.js";
import { guarded, showError } from "app/lib/notice.js";

export function setTitle(text) {
  document.title = text ? `${text} · ${t("app.short")}` : t("app.short");
}

function wireHeader() {
  const lang = $("#lang-switch");
  if (lang) lang.addEventListener("click", () => { setLang(lang.dataset.lang); location.reload(); });
  const logout = $("#logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      await guarded(() => api("/auth/logout", { method: "POST" }));
      location.href = "/login/";
    });
  }
}

export function loginUrl() {
  return `/login/?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
}

// start(async (me) => {...}, {requireLogin}); `me` is null for visitors.
export async function start(main = async () => {}, { requireLogin = true } = {}) {
  translatePage();
  wireHeader();
  let me = null;
  try {
    me = await api("/auth/me");
  } catch (err) {
    if (err.status !== 401) showError(err);
  }
  if (!me && requireLogin) {
    location.href = loginUrl();
    return;
  }
  try {
    await main(me);
  } finally {
    document.body.dataset.ready = "1";
  }
}
