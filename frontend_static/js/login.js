import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { landing } from "app/nav.js";
import { shell } from "app/shell.js";

async function goOn() {
  const next = new URLSearchParams(location.search).get("next");
  location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : await landing();
}

function switchTab(name) {
  document.querySelectorAll("[data-tab]").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
  document.getElementById("password-form").hidden = name !== "password";
  document.getElementById("phone-form").hidden = name !== "phone";
}

function countdown(button, seconds) {
  button.disabled = true;
  const tick = () => {
    if (seconds <= 0) { button.disabled = false; button.textContent = t("login.send_code"); return; }
    button.textContent = t("login.resend_in", { s: seconds });
    seconds -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}

async function main() {
  await shell({ requireLogin: false });
  document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
  switchTab("password");

  document.getElementById("password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const me = await guarded(() => api("/auth/login", {
      method: "POST", body: { username: form.username.value, password: form.password.value },
    }));
    if (me) await goOn();
  });

  const sendButton = document.getElementById("send-code");
  sendButton.addEventListener("click", async () => {
    const phone = document.getElementById("phone").value.trim();
    const sent = await guarded(() => api("/auth/phone/code", { method: "POST", body: { phone } }));
    if (sent) {
      document.getElementById("code-status").textContent = t("login.code_sent", { m: Math.round(sent.expires_in / 60) });
      countdown(sendButton, sent.resend_in);
    }
  });

  document.getElementById("phone-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const me = await guarded(() => api("/auth/phone/login", {
      method: "POST", body: { phone: form.phone.value.trim(), code: form.code.value.trim() },
    }));
    if (me) await goOn();
  });
}

main();
