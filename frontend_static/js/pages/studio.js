// The streamer's studio (/studio/): my sessions, scheduling one and the real-name details
// (#), and one session's console (#s/ID, js/studio/console.js). Office staff and admins see
// every session read only, and verify the streamers waiting for it.
import "app/strings/studio.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { date, decimal, time } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";
import { closeSession, initConsole, openSession } from "app/studio/console.js";

const OFFICE = ["office_staff", "platform_admin"];

async function renderList() {
  const sessions = await guarded(() => api("/live/sessions"));
  if (!sessions) return;
  $("#session-list").replaceChildren(...(sessions.length ? sessions.map((s) => el("li", { "data-id": s.id },
    el("a", { href: `#s/${s.id}`, class: "title" }, s.title),
    el("span", { class: `status status-${s.state}` }, t(`studio.state.${s.state}`)),
    el("span", { class: "muted" }, time(s.scheduled_start))))
    : [el("li", { class: "muted empty" }, t("studio.empty"))]));
}

function profilePending(profile) {
  $("#profile-status").textContent = t("studio.profile_pending", { name: profile.real_name });
}

async function setupProfile() {
  const profile = await api("/live/streamer/profile").catch(() => null); // 404: nothing sent yet
  const form = $("#profile-form");
  form.hidden = Boolean(profile && profile.verified);
  if (profile && !profile.verified) profilePending(profile);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { real_name: form.elements.real_name.value.trim(), id_number: form.elements.id_number.value.trim() };
    const sent = await submitForm(form, () => api("/live/streamer/profile", { method: "PUT", body }),
      { success: t("studio.profile_sent") });
    if (sent) profilePending(sent);
  });
}

function setupCreate() {
  const form = $("#create-form");
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    // The time typed is read at +08:00, as the pages show every time.
    const start = f.scheduled_start.value ? `${f.scheduled_start.value}:00+08:00` : "";
    const body = { title: f.title.value.trim(), description: f.description.value.trim(), scheduled_start: start };
    const created = await submitForm(form, () => api("/live/sessions", { method: "POST", body }));
    if (!created) return;
    form.reset();
    location.hash = `#s/${created.id}`;
  });
}

async function renderVerifyQueue() {
  const profiles = await guarded(() => api("/live/streamers"));
  if (!profiles) return;
  $("#verify-panel").hidden = false;
  const verify = (p) => async (event) => {
    const button = event.currentTarget;
    const done = await guarded(() => api(`/live/streamers/${p.user_id}/verify`, { method: "POST" }), { near: button });
    if (!done) return;
    await renderVerifyQueue();
    toast(t("studio.verified_now", { name: done.real_name }), { near: $(`#verify-list [data-user="${p.user_id}"]`) });
  };
  $("#verify-list").replaceChildren(...(profiles.length ? profiles.map((p) => el("li", { "data-user": p.user_id },
    el("span", {}, `${p.real_name} · ${p.id_number_masked}`),
    p.verified ? el("span", { class: "status status-verified" }, t("studio.verified"))
      : el("button", { type: "button", "data-action": "verify", onclick: verify(p) }, t("studio.verify"))))
    : [el("li", { class: "muted empty" }, t("studio.none_waiting"))]));
}

// The office's storage report: recordings, replays and clips kept (at least the retention
// period the rules ask), bytes per month and the oldest recording still kept.
const mb = (bytes) => decimal(bytes / (1024 * 1024), 1);

async function renderStorage() {
  const report = await guarded(() => api("/live/storage-report"));
  if (!report) return;
  $("#storage-panel").hidden = false;
  $("#storage-summary").textContent = t("studio.storage_summary", {
    days: report.retention_days, mb: mb(report.total_bytes),
    oldest: report.oldest_at ? date(report.oldest_at) : t("studio.storage_none") });
  $("#storage-months").replaceChildren(...report.months.map((m) => el("li", { "data-month": m.month },
    el("span", {}, m.month),
    el("span", { class: "muted" }, t("studio.storage_month", { n: m.recordings, rec: mb(m.recording_bytes),
      replay: mb(m.replay_bytes), clips: mb(m.clip_bytes) })))));
}

async function route() {
  const match = location.hash.match(/^#s\/(\d+)$/);
  closeSession();
  $("#list-view").hidden = Boolean(match);
  $("#session-view").hidden = !match;
  document.body.dataset.view = match ? "session" : "list";
  if (match) {
    const session = await openSession(match[1]);
    setTitle(session ? session.title : t("studio.title"));
  } else {
    setTitle(t("studio.title"));
    await renderList();
  }
  window.scrollTo(0, 0);
}

start(async (me) => {
  const streamer = me.roles.includes("streamer");
  $("#read-only").hidden = streamer;
  if (streamer) {
    setupCreate();
    await setupProfile();
  }
  if (OFFICE.some((role) => me.roles.includes(role))) await Promise.all([renderVerifyQueue(), renderStorage()]);
  initConsole();
  $("#back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
});
