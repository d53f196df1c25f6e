// The organisers' console (/events/): the year's counters, their events, a new event, and
// for the chosen one: registrations to review, judges, linked sessions, the contest's run
// (freeze, public notice, final), objections to answer, awards and the door's counts.
import "app/strings/events.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { money, time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";

let chosen = null;

function iso(value) {
  return value ? new Date(value).toISOString() : "";
}

// A small form of inputs whose submit posts `body(form)` to `path`, then reloads the detail.
function miniForm(id, fields, label, path, body) {
  const form = el("form", { id, class: "row wrap", novalidate: true }, ...fields,
    el("button", { type: "submit" }, t(label)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const done = await submitForm(form, () => api(path, { method: "POST", body: body(form) }),
      { success: t("events.console.done") });
    if (done) await detail(chosen);
  });
  return form;
}

function action(label, path, body = {}) {
  const button = el("button", { type: "button", "data-action": label, onclick: () => guarded(async () => {
    await api(path, { method: "POST", body });
    toast(t("events.console.done"), { near: button });
    await detail(chosen);
  }, { near: button }) }, t(label));
  return button;
}

function registrations(d) {
  return el("ul", { id: "console-registrations" }, d.registrations.map((r) => el("li", { "data-registration": r.id },
    `${r.display_name} · ${t(`events.status.${r.status}`)} ${r.reason}`,
    r.status === "pending" && action("events.console.approve", `/campaigns/registrations/${r.id}/review`, { approve: true }),
    r.status === "pending" && miniForm(`reject-${r.id}`, [el("input", { name: "reason", maxlength: "200",
      placeholder: t("events.console.reason") })], "events.console.reject",
      `/campaigns/registrations/${r.id}/review`, (f) => ({ approve: false, reason: f.reason.value })))));
}

function entrySelect(d) {
  return el("select", { name: "entry_id", "aria-label": t("events.console.entry") },
    el("option", { value: "" }, t("events.console.entry")), d.registrations
    .filter((r) => r.status === "approved").map((r) => el("option", { value: r.id }, r.display_name)));
}

function contestRun(d, base) {
  const names = Object.fromEntries(d.registrations.map((r) => [r.id, r.display_name]));
  return [
    el("h3", {}, t("events.console.run"), " · ", t(`events.stage.${d.stage}`)),
    el("p", { class: "row wrap" }, action("events.console.freeze", `${base}/freeze`),
      miniForm("console-publicity", [el("input", { name: "days", type: "number", min: "1", max: "30", value: "7" })],
        "events.console.publicity", `${base}/publicity`, (f) => ({ days: Number(f.days.value) })),
      action("events.console.finalise", `${base}/finalise`)),
    el("h3", {}, t("events.console.objections")),
    el("ul", {}, d.objections.map((o) => el("li", {}, `${o.text} ${o.answer ? `→ ${o.answer}` : ""}`,
      !o.answered && miniForm(`answer-${o.id}`, [el("input", { name: "answer", maxlength: "500" })],
        "events.console.answer", `/campaigns/objections/${o.id}/answer`, (f) => ({ answer: f.answer.value }))))),
    el("h3", {}, t("events.console.awards")),
    el("ul", {}, d.awards.map((a) => el("li", {}, `${a.title} · ${names[a.entry_id] || ""} · `
      + `${t(`events.console.prize.${a.prize_kind}`)} ${a.prize_kind === "cash" ? money(a.amount) : ""}`))),
    miniForm("console-award", [entrySelect(d), el("input", { name: "title", maxlength: "80",
      placeholder: t("events.console.award_title") }),
      el("select", { name: "prize_kind" }, ["cash", "goods", "honour"].map((k) =>
        el("option", { value: k }, t(`events.console.prize.${k}`)))),
      el("input", { name: "amount", inputmode: "decimal", placeholder: t("events.console.amount") })],
    "events.console.add_award", `${base}/awards`, (f) => ({ entry_id: Number(f.entry_id.value) || 0,
      title: f.title.value, prize_kind: f.prize_kind.value, amount: f.amount.value || "0" })),
  ];
}

async function detail(id) {
  chosen = id;
  const d = await api(`/campaigns/events/${id}`, { fresh: true });
  const base = `/campaigns/events/${id}`;
  const box = $("#console-detail");
  box.hidden = false;
  box.replaceChildren(
    el("h2", {}, d.title),
    el("p", { class: "row wrap" }, el("a", { href: `/events/${d.slug}/` }, t("events.console.open_page")),
      d.kind === "contest" && el("a", { href: `/events/${d.slug}/screen/`, target: "_blank" }, t("events.console.open_screen"))),
    el("h3", {}, t("events.console.registrations")), registrations(d),
    el("h3", {}, t("events.console.judges")),
    el("p", {}, d.judges.map((j) => j.username).join(", ")),
    miniForm("console-judge", [el("input", { name: "username", placeholder: t("events.console.username") })],
      "events.console.assign", `${base}/judges`, (f) => ({ username: f.username.value })),
    el("h3", {}, t("events.console.link")),
    el("ul", { id: "console-sessions" }, d.sessions.map((s) => el("li", { "data-session": s.session_id },
      `#${s.session_id} ${s.title}`, s.entry_id && ` · ${d.registrations.find((r) => r.id === s.entry_id)?.display_name || ""}`))),
    miniForm("console-link", [el("input", { name: "session_id", type: "number", min: "1",
      placeholder: t("events.console.session_id") }), entrySelect(d)], "events.console.link", `${base}/sessions`,
    (f) => ({ session_id: Number(f.session_id.value) || 0, entry_id: Number(f.entry_id.value) || null })),
    ...(d.kind === "contest" ? contestRun(d, base) : []),
    el("ul", { class: "muted" }, d.checkins.map((c) => el("li", {}, t("events.door.counts", c)))),
  );
}

async function load() {
  const [events, counters] = await Promise.all([api("/campaigns/events", { fresh: true }),
    api("/campaigns/counters", { fresh: true })]);
  $("#console-counters").textContent = t("events.console.counters", { ...counters,
    events: counters.events_held, target: counters.events_target ?? "-" });
  $("#console-events").replaceChildren(...events.map((e) => el("li", { "data-event": e.id },
    el("button", { type: "button", class: "link", onclick: () => guarded(() => detail(e.id)) }, e.title),
    ` · ${t(`events.kind.${e.kind}`)} · ${time(e.starts_at)}`)));
  const parent = $("#console-new").parent_id;
  parent.replaceChildren(el("option", { value: "" }, ""), ...events.filter((e) => e.kind === "festival")
    .map((e) => el("option", { value: e.id }, e.title)));
}

start(async () => {
  setTitle(t("events.title"));
  await load();
  const form = $("#console-new");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { kind: form.kind.value, title: form.title.value, starts_at: iso(form.starts_at.value),
      ends_at: iso(form.ends_at.value), registration_deadline: iso(form.registration_deadline.value),
      capacity: Number(form.capacity.value) || 0, parent_id: Number(form.parent_id.value) || null,
      voting: form.voting.checked, offline: form.offline.checked };
    const made = await submitForm(form, () => api("/campaigns/events", { method: "POST", body }),
      { success: t("events.console.created") });
    if (made) { await load(); await detail(made.id); }
  });
});
