// The public event page on a phone (/events/<slug>/): the event, its schedule, contests,
// participants and sessions live now; a contest's leaderboard (live, from the board socket)
// with voting; registering, a venue pass (QR) and, during the public notice, an objection.
import "app/strings/events.js";
import { Board, useBoard } from "app/events/board.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { loginUrl, setTitle, start } from "app/lib/shell.js";
import { html, render } from "app/lib/view.js";

const slug = location.pathname.split("/")[2];

function list(id, items, make) {
  $(id).replaceChildren(...(items.length ? items.map(make) : [el("li", { class: "muted" }, t("events.empty"))]));
}

function LiveBoard({ me }) {
  const [board] = useBoard(slug);
  const vote = (entryId, button) => guarded(async () => {
    if (!me) { location.href = loginUrl(); return; }
    await api(`/events/${slug}/votes`, { method: "POST", body: { entry_id: entryId } });
    toast(t("events.voted"), { near: button });
  }, { near: button });
  const canVote = board && board.voting && board.stage === "open";
  return html`<${Board} board=${board} columns=${["gmv", "orders", "judges", "votes"]} />
    ${canVote ? html`<p class="row wrap">${board.rows.map((r) => html`<button type="button"
      data-vote=${r.entry_id} onClick=${(e) => vote(r.entry_id, e.currentTarget)}>${t("events.vote")} · ${r.name}</button>`)}</p>` : ""}`;
}

function registerForm(event) {
  const form = el("form", { id: "event-register", class: "row wrap", novalidate: true },
    el("input", { name: "display_name", placeholder: t("events.display_name"), maxlength: "80", required: true }),
    el("button", { type: "submit", class: "primary" }, t("events.register")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitForm(form, () => api(`/events/${slug}/registrations`, { method: "POST",
      body: { display_name: form.display_name.value } }), { success: t("events.registered") });
  });
  return new Date(event.registration_deadline) > new Date() ? form : null;
}

function objectionForm() {
  const form = el("form", { id: "event-objection", novalidate: true },
    el("label", {}, t("events.objection"), el("textarea", { name: "text", maxlength: "500", required: true })),
    el("button", { type: "submit" }, t("events.objection")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitForm(form, () => api(`/events/${slug}/objections`, { method: "POST",
      body: { text: form.text.value } }), { success: t("events.objection_sent") });
  });
  return form;
}

function passButton() {
  const shown = el("div", { id: "event-pass" });
  const button = el("button", { type: "button", onclick: () => guarded(async () => {
    const p = await api(`/events/${slug}/pass`, { method: "POST" });
    shown.replaceChildren(el("img", { class: "pass-qr", src: p.qr, alt: p.code }),
      el("p", {}, t("events.pass_code", { code: p.code })));
  }, { near: button }) }, t("events.my_pass"));
  return [button, shown];
}

function actions(event, me) {
  if (!me) return [el("a", { class: "button", href: loginUrl() }, t("events.login_to_vote"))];
  return [registerForm(event), event.offline ? passButton() : null,
    event.stage === "publicity" ? objectionForm() : null];
}

start(async (me) => {
  const event = await api(`/events/${slug}`);
  setTitle(event.title);
  $("#event-title").textContent = event.title;
  $("#event-when").textContent = `${t(`events.kind.${event.kind}`)} · ${time(event.starts_at)} – ${time(event.ends_at)}`
    + (event.venue ? ` · ${t("events.venue")} ${event.venue}` : "");
  $("#event-description").textContent = event.description;
  list("#event-sessions", event.sessions, (s) => el("li", { "data-state": s.state },
    el("a", { href: s.url }, s.title), s.state === "live" ? el("span", { class: "badge live" }, ` ${t("events.live")}`) : null));
  $("#event-contests-card").hidden = !event.contests.length;
  list("#event-contests", event.contests, (c) => el("li", {}, el("a", { href: `/events/${c.slug}/` }, c.title)));
  list("#event-schedule", event.schedule, (s) => el("li", {}, `${s.at} ${s.title} ${s.venue || ""}`));
  list("#event-participants", event.participants, (p) => el("li", {}, p.name));
  $("#event-actions").replaceChildren(...actions(event, me).flat().filter(Boolean));
  if (event.kind === "contest") {
    $("#event-board-card").hidden = false;
    $("#event-screen-link").href = `/events/${slug}/screen/`;
    render(html`<${LiveBoard} me=${me} />`, $("#event-board"));
  }
}, { requireLogin: false });
