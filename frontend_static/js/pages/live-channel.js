// The county's live channel (/live/): on air now, coming up and replays, each a card that
// opens the watch page; narrowed to one streamer by the chips (?streamer=N). Signed-in
// viewers see their notices (go-live, reminders, cancellations) on top.
import "app/strings/live-channel.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";

function card(s) {
  const label = s.state === "scheduled"
    ? t("channel.state.scheduled", { time: time(s.scheduled_start) }) : t(`channel.state.${s.state}`);
  return el("li", { "data-session": s.id, "data-state": s.state },
    el("a", { href: `/live/${s.id}/`, class: "channel-card" },
      el("span", { class: "channel-cover" },
        s.cover_url && el("img", { src: s.cover_url, alt: "", loading: "lazy" }),
        el("span", { class: "status", "data-state": s.state }, label)),
      el("b", { class: "title" }, s.title),
      el("span", { class: "muted" }, s.streamer_name)));
}

function fill(id, sessions) {
  $(id).replaceChildren(...(sessions.length ? sessions.map(card)
    : [el("li", { class: "muted empty" }, t("channel.empty"))]));
}

async function notices() {
  const rows = await api("/audience/notices", { fresh: true });
  $("#channel-notices").hidden = !rows.length;
  $("#channel-notice-list").replaceChildren(...rows.map((n) => el("li",
    { "data-kind": n.kind, "data-read": n.read ? "1" : "0" },
    !n.read && el("span", { class: "badge" }, t("channel.unread")),
    el("a", { href: `/live/${n.session_id}/` }, n.text), el("span", { class: "muted" }, time(n.created_at)))));
}

start(async (me) => {
  setTitle(t("channel.title"));
  const streamer = new URLSearchParams(location.search).get("streamer");
  const channel = await api("/audience/channel", { query: { streamer_id: streamer }, fresh: true });
  fill("#channel-live", channel.live);
  fill("#channel-coming", channel.coming);
  fill("#channel-replays", channel.replays);
  const chips = channel.streamers.map((s) => el("a",
    { href: `/live/?streamer=${s.id}`, class: "chip", "aria-current": String(s.id) === streamer ? "page" : null },
    t("channel.streamer", { name: s.name, n: s.followers })));
  $("#channel-streamers").replaceChildren(el("a", { href: "/live/", class: "chip" }, t("channel.all")), ...chips);
  if (me) {
    await notices();
    $("#channel-notices-read").addEventListener("click", () => guarded(async () => {
      await api("/audience/notices/read", { method: "POST" });
      await notices();
    }));
  }
}, { requireLogin: false });
