// My account (/account/): who I am, my password (or setting one after a phone code, for
// buyers who signed up by phone), API tokens (not for buyers), and live notices over
// /ws/me/ drawn by the view library.
import "app/strings/account.js";
import { api } from "app/lib/api.js";
import { confirmDialog } from "app/lib/confirm.js";
import { $, el } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";
import { liveSocket } from "app/lib/socket.js";
import { html, render, useEffect, useState } from "app/lib/view.js";

function renderProfile(me) {
  $("#display-name").textContent = me.display_name;
  $("#username").textContent = me.username;
  $("#phone").textContent = me.phone_masked || t("account.none");
  $("#roles").replaceChildren(...me.roles.map((r) => el("li", { "data-role": r }, t(`role.${r}`))));
  $("#organisations").replaceChildren(...(me.organisations.length
    ? me.organisations.map((o) => el("li", {}, t(o.role === "owner" ? "account.org_owner" : "account.org_member", { name: o.name })))
    : [el("li", {}, t("account.none"))]));
}

// ---- password ------------------------------------------------------------------------

function passwordMode(me) {
  const byCode = !me.has_password && Boolean(me.phone);
  $("#password-title").textContent = t(byCode ? "account.set_password" : "account.change_password");
  $("#old-password-field").hidden = byCode;
  $("#code-fields").hidden = !byCode;
  $("#code-hint").textContent = byCode ? t("account.set_password_hint", { phone: me.phone_masked }) : "";
  return byCode;
}

// Django's password rules come back as reasons: shown beside the new password.
function withReasons(promise) {
  return promise.catch((err) => {
    if (err.extra && err.extra.reasons) err.fields = err.extra.reasons.map((message) => ({ path: "new_password", message }));
    throw err;
  });
}

function setupPassword(me) {
  const form = $("#password-form");
  $("#password-send-code").addEventListener("click", async (event) => {
    const sent = await submitForm(form, () => api("/auth/phone/code", { method: "POST", body: { phone: me.phone } }),
      { button: event.currentTarget });
    if (sent) toast(t("account.code_sent", { m: Math.round(sent.expires_in / 60) }));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const byCode = passwordMode(me);
    const body = byCode
      ? { code: form.code.value.trim(), new_password: form.new_password.value }
      : { old_password: form.old_password.value, new_password: form.new_password.value };
    const done = await submitForm(form, () => withReasons(api(byCode ? "/auth/password/by-code" : "/auth/password",
      { method: "POST", body })).then(() => true),
    { success: byCode ? t("account.password_set", { username: me.username }) : t("account.password_changed") });
    if (!done) return;
    form.reset();
    me.has_password = true;
    passwordMode(me);
  });
  passwordMode(me);
}

// ---- tokens --------------------------------------------------------------------------

async function renderTokens() {
  const tokens = await guarded(() => api("/auth/tokens"));
  if (!tokens) return;
  const list = $("#token-list");
  if (!tokens.length) { list.replaceChildren(el("li", {}, t("tokens.empty"))); return; }
  list.replaceChildren(...tokens.map((tok) => el("li", { "data-token-id": tok.id },
    el("strong", {}, tok.name), " ",
    t("tokens.line", { prefix: tok.prefix, created: time(tok.created_at), used: time(tok.last_used_at) }), " ",
    tok.revoked_at ? el("em", {}, t("tokens.revoked")) : el("button", { type: "button", class: "link revoke",
      onclick: async (event) => {
        const button = event.currentTarget;
        if (!(await confirmDialog(t("tokens.confirm_revoke"), { ok: t("tokens.revoke"), danger: true }))) return;
        const done = await guarded(() => api(`/auth/tokens/${tok.id}`, { method: "DELETE" }), { near: button });
        if (done) { toast(t("tokens.revoked_now"), { near: button }); renderTokens(); }
      } }, t("tokens.revoke")))));
}

function setupTokens() {
  $("#token-card").hidden = false;
  renderTokens();
  $("#token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const created = await submitForm(form, () => api("/auth/tokens", { method: "POST", body: { name: form.name.value.trim() } }),
      { success: t("tokens.created") });
    if (!created) return;
    $("#new-token").replaceChildren(t("tokens.shown_once"), el("code", {}, created.token));
    $("#new-token").hidden = false;
    form.reset();
    renderTokens();
  });
}

// ---- live notices (the view library) ---------------------------------------------------

// The user's own channel: notices pushed by the server, and a ping subscription that the
// socket helper sends again after every reconnect (the page counts the pongs).
function Live() {
  const [status, setStatus] = useState({ state: "connecting", text: t("live.connecting") });
  const [pongs, setPongs] = useState(0);
  const [notices, setNotices] = useState([]);
  useEffect(() => {
    let seq = 0;
    const socket = liveSocket("/ws/me/", {
      onStatus: (state, text) => setStatus({ state, text: state === "open" ? t("live.open") : text || state }),
      onMessage: (message) => {
        if (message.type === "pong") { setPongs((n) => n + 1); return; }
        seq += 1;
        setNotices((list) => [{ ...message, seq }, ...list].slice(0, 50));
      },
    });
    socket.subscribe("presence", { type: "ping", payload: { page: "account" } });
    return () => socket.close();
  }, []);
  const words = (m) => (m.payload && typeof m.payload.text === "string" ? m.payload.text : JSON.stringify(m.payload));
  return html`
    <h2>${t("live.title")}</h2>
    <p class="muted">${t("live.connection")}<span id="live-status" data-state=${status.state} data-pongs=${pongs}
      aria-live="polite">${status.text}</span></p>
    <ul id="notices">
      ${notices.length ? notices.map((m) => html`<li key=${m.seq} data-type=${m.type}>${words(m)}</li>`)
        : html`<li class="muted empty">${t("live.empty")}</li>`}
    </ul>`;
}

start(async (me) => {
  renderProfile(me);
  setupPassword(me);
  if (!me.roles.every((role) => role === "buyer")) setupTokens();
  render(html`<${Live} />`, $("#live"));
});
