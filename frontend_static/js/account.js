import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { liveSocket } from "app/ws.js";

function fmtTime(iso) {
  return iso ? new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "—";
}

function renderProfile(me) {
  document.getElementById("display-name").textContent = me.display_name;
  document.getElementById("username").textContent = me.username;
  document.getElementById("phone").textContent = me.phone_masked || t("account.none");
  const roles = document.getElementById("roles");
  roles.replaceChildren(...me.roles.map((r) => el("li", { "data-role": r }, t(`role.${r}`))));
  const orgs = document.getElementById("organisations");
  orgs.replaceChildren(...(me.organisations.length
    ? me.organisations.map((o) => el("li", {}, `${o.name}（${o.role === "owner" ? "负责人" : "成员"}）`))
    : [el("li", {}, t("account.none"))]));
}

async function renderTokens() {
  const tokens = await guarded(() => api("/auth/tokens"));
  if (!tokens) return;
  const list = document.getElementById("token-list");
  if (!tokens.length) { list.replaceChildren(el("li", {}, t("tokens.empty"))); return; }
  list.replaceChildren(...tokens.map((tok) => {
    const item = el("li", {}, el("strong", {}, tok.name), ` qs_${tok.prefix}_… · ${t("tokens.created_at")} ${fmtTime(tok.created_at)} · ${t("tokens.last_used")} ${fmtTime(tok.last_used_at)} `);
    if (tok.revoked_at) item.append(el("em", {}, t("tokens.revoked")));
    else item.append(el("button", { type: "button", class: "link", onclick: async () => {
      await guarded(() => api(`/auth/tokens/${tok.id}`, { method: "DELETE" }));
      renderTokens();
    } }, t("tokens.revoke")));
    return item;
  }));
}

// The user's own channel: notices pushed by the server, and a ping subscription that the
// socket helper sends again after every reconnect (the page counts the pongs).
function connectLive() {
  const status = document.getElementById("live-status");
  const notices = document.getElementById("notices");
  let pongs = 0;
  const socket = liveSocket("/ws/me/", {
    onStatus: (state, text) => {
      status.dataset.state = state;
      status.textContent = state === "open" ? t("live.open") : text || state;
    },
    onMessage: (message) => {
      if (message.type === "pong") {
        pongs += 1;
        status.dataset.pongs = String(pongs);
        return;
      }
      notices.prepend(el("li", { "data-type": message.type }, JSON.stringify(message.payload)));
    },
  });
  socket.subscribe("presence", { type: "ping", payload: { page: "account" } });
  return socket;
}

async function main() {
  const me = await shell();
  if (!me) return;
  renderProfile(me);
  renderTokens();
  connectLive();

  document.getElementById("password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const done = await guarded(() => api("/auth/password", {
      method: "POST", body: { old_password: form.old_password.value, new_password: form.new_password.value },
    }).then(() => true));
    if (done) { form.reset(); document.getElementById("password-status").textContent = t("account.password_changed"); }
  });

  document.getElementById("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const created = await guarded(() => api("/auth/tokens", { method: "POST", body: { name: form.name.value } }));
    if (created) {
      const box = document.getElementById("new-token");
      box.replaceChildren(t("tokens.shown_once"), el("code", {}, created.token));
      box.hidden = false;
      form.reset();
      renderTokens();
    }
  });
}

main();
