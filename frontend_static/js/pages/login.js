// Log in (/login/): username and password, or a phone code (buyers sign up by it); then on to
// ?next= or the user's landing page.
import "app/strings/login.js";
import { api } from "app/lib/api.js";
import { $, $$ } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";

let countdownTimer = null;

// `next` only when it is a path of this site. Browsers read a backslash as "/" and drop tabs
// and newlines, so "/\host" and "/<tab>/host" mean "//host": refuse both, then check the origin.
function sameSitePath(next) {
  if (!next || !/^\/(?![\/\\])[^\s\\\u0000-\u001f\u007f]*$/.test(next)) return null;
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
}

async function goOn() {
  const next = sameSitePath(new URLSearchParams(location.search).get("next"));
  if (next) { location.href = next; return; }
  const nav = await api("/nav");
  location.href = nav.landing || "/account/";
}

function switchTab(name) {
  $$("[data-tab]").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
  $("#password-form").hidden = name !== "password";
  $("#phone-form").hidden = name !== "phone";
}

function countdown(button, seconds) {
  clearTimeout(countdownTimer);
  button.disabled = true;
  const tick = () => {
    if (seconds <= 0) { stopCountdown(button); return; }
    button.textContent = t("login.resend_in", { s: seconds });
    seconds -= 1;
    countdownTimer = setTimeout(tick, 1000);
  };
  tick();
}

function stopCountdown(button) {
  clearTimeout(countdownTimer);
  button.disabled = false;
  button.textContent = t("login.send_code");
}

function wirePhone() {
  const sendButton = $("#send-code");
  const status = $("#code-status");
  sendButton.addEventListener("click", async () => {
    const form = $("#phone-form");
    const sent = await submitForm(form, () => api("/auth/phone/code", {
      method: "POST", body: { phone: form.phone.value.trim() } }), { button: sendButton });
    if (!sent) return;
    status.textContent = t("login.code_sent", { m: Math.round(sent.expires_in / 60) });
    countdown(sendButton, sent.resend_in);
  });
  $("#phone-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    let burnt = false;
    const me = await submitForm(form, () => api("/auth/phone/login", {
      method: "POST", body: { phone: form.phone.value.trim(), code: form.code.value.trim() },
    }).catch((err) => { burnt = err.code === "auth.code_expired"; throw err; }));
    if (me) { await goOn(); return; }
    if (burnt) {
      // The code is used up (expired or too many wrong tries): a new one may be asked at once.
      stopCountdown(sendButton);
      status.textContent = t("login.code_again");
      form.code.value = "";
    }
  });
}

start(async () => {
  setTitle(t("login.title"));
  $$("[data-tab]").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
  switchTab("password");
  $("#password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const me = await submitForm(form, () => api("/auth/login", {
      method: "POST", body: { username: form.username.value, password: form.password.value },
    }));
    if (me) await guarded(goOn);
  });
  wirePhone();
  // Disabled in the HTML (and the forms are POST): a press before this script has wired them
  // can never send the password natively, in the address bar.
  $$("#password-submit, #phone-submit").forEach((button) => { button.disabled = false; });
}, { requireLogin: false });
