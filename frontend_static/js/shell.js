// The layout every page shares: header, role-aware navigation, language switch, logout,
// and the error banner. Pages call shell({requireLogin}) and get the signed-in user.
import { api, guarded } from "app/api.js";
import { t, translatePage, currentLang, setLang } from "app/i18n.js";
import { navigation } from "app/nav.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => {
    if (v == null || v === false) return; // an absent attribute (e.g. disabled: false)
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  });
  children.forEach((c) => c != null && c !== false && node.append(c));
  return node;
}
export { el };

function renderHeader(me, items) {
  const header = document.getElementById("app-header");
  header.replaceChildren();
  const nav = el("nav", { id: "main-nav", "aria-label": "main" });
  items.forEach((page) => {
    const link = el("a", { href: page.path, "data-nav": page.path }, page.label);
    if (location.pathname === page.path) link.setAttribute("aria-current", "page");
    nav.append(link);
  });
  const lang = el("button", { type: "button", class: "link", id: "lang-switch", onclick: () => {
    setLang(currentLang() === "en" ? "zh-hans" : "en");
    location.reload();
  } }, t("lang.switch"));
  const who = me
    ? el("span", { class: "who" }, me.display_name, " ",
        el("button", { type: "button", class: "link", id: "logout", onclick: logout }, t("nav.logout")))
    : el("a", { href: "/login/" }, t("nav.login"));
  header.append(el("a", { href: "/", class: "brand" }, t("app.short")), nav, el("span", { class: "tools" }, lang, who));
}

async function logout() {
  await guarded(() => api("/auth/logout", { method: "POST" }));
  location.href = "/login/";
}

export async function shell({ requireLogin = true } = {}) {
  translatePage();
  let me = null;
  try {
    me = await api("/auth/me");
  } catch (err) {
    if (err.status !== 401) await guarded(() => Promise.reject(err));
  }
  if (!me && requireLogin) {
    location.href = `/login/?next=${encodeURIComponent(location.pathname)}`;
    return null;
  }
  const nav = await navigation().catch(() => ({ items: [] }));
  renderHeader(me, nav.items);
  document.body.dataset.ready = "1";
  return me;
}
