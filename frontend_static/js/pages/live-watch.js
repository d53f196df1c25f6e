// The watch page of a live session (/live/<id>/), phone first: the stream (the 480p
// rendition on a phone, the source on request), the explained product's card, the product bag, chat,
// likes, viewers and reports over /ws/live/<id>/ (docs/live-room-socket.md), reconnecting by
// itself; before the start a countdown and the reminder; after the end the replay with chapters.
// Likes are sent at most twice a second; a heartbeat every 15 s keeps the viewer counted;
// a random id kept in localStorage makes a reload the same viewer.
import "app/strings/live-watch.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";
import { liveSocket } from "app/lib/socket.js";
import { playHls } from "app/lib/video.js";
import { bagView } from "app/watch/bag.js";
import { promoView } from "app/watch/promos.js";
import { beforeStart, followControl, shareBox } from "app/watch/audience.js";
import { chatView } from "app/watch/chat.js";
import { showReplay } from "app/watch/replay.js";

const LIKE_FLUSH_MS = 500;
const HEARTBEAT_MS = 15000;
const PHONE_WIDTH = 768;
const room = {
  socket: null, taps: 0, me: null, canComment: false, player: null, state: null, leaveBefore: null,
};

function viewerId() {
  let vid = localStorage.getItem("live.vid");
  if (!vid) {
    vid = `v${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.slice(0, 32);
    localStorage.setItem("live.vid", vid);
  }
  return vid;
}

// A phone starts on the 480p rendition (or the nearest below); the button switches to the source.
function qualityControl(hls) {
  if (!hls) return;
  hls.on("hlsManifestParsed", () => {
    const levels = hls.levels.map((l, i) => ({ i, h: l.height || 0 }));
    if (levels.length < 2) return;
    const low = levels.filter((l) => l.h <= 480).sort((a, b) => b.h - a.h)[0] || levels[0];
    const source = levels.sort((a, b) => b.h - a.h)[0];
    const button = $("#watch-quality");
    const pick = (level) => {
      hls.currentLevel = level.i;
      button.dataset.level = level === source ? "source" : "low";
      button.textContent = t(level === source ? "watch.quality.low" : "watch.quality.source");
    };
    pick(window.innerWidth < PHONE_WIDTH ? low : source);
    button.hidden = false;
    button.addEventListener("click", () => pick(button.dataset.level === "source" ? low : source));
  });
}

async function playLive(id) {
  if (room.player) return;
  const playback = await api(`/live/sessions/${id}/playback`).catch(() => null);
  if (!playback) return;
  room.player = playHls($("#watch-video"), playback.url, {
    config: { liveSyncDurationCount: 2 },
    onError: () => { room.player = null; setTimeout(() => playLive(id), 5000); },
  });
  qualityControl(room.player.hls);
}

function enterState(id, watch, state) {
  if (state === room.state) return;
  room.state = state;
  $("#watch-state").textContent = t(`watch.state.${state}`);
  $("#watch-state").dataset.state = state;
  // Comments are taken while on air (and in a rehearsal, by its staff) only.
  $("#watch-form").hidden = !(room.canComment && ["live", "rehearsal"].includes(state));
  if (state !== "scheduled" && room.leaveBefore) { room.leaveBefore(); room.leaveBefore = null; }
  if (state === "scheduled" && !room.leaveBefore) room.leaveBefore = beforeStart(watch, room.me);
  if (state === "live") playLive(id);
  if (state === "ended") {
    if (room.player) { room.player.stop(); room.player = null; }
    showReplay(id);
  }
}

function connect(id, watch, chat, bag, promos) {
  const handlers = {
    "live.hello": (p) => { chat.hello(p); enterState(id, watch, p.state); },
    "live.tick": chat.tick,
    "live.comment_sent": chat.sent,
    "live.comment_hidden": chat.hidden,
    "live.pin": (p) => chat.pin(p.comment),
    "live.room": chat.switches,
    "live.state": (p) => enterState(id, watch, p.state),
    "live.card": bag.onCard,
    "live.explain": bag.onExplain,
    "promo.coupon": promos.onFrame,
    "promo.flash": promos.onFrame,
    "promo.lottery": promos.onFrame,
    "live.reported": () => toast(t("watch.reported")),
    "live.error": (p) => toast(p.message, { kind: "error", near: $("#watch-form") }),
  };
  room.socket = liveSocket(`/ws/live/${id}/?vid=${viewerId()}`, {
    onMessage: ({ type, payload }) => handlers[type] && handlers[type](payload),
    onStatus: (status) => {
      $("#watch-status").hidden = status === "open";
      $("#watch-status").textContent = t("watch.reconnecting");
      if (status === "open") bag.load(); // frames missed while away: the bag catches up
    },
  });
}

function wireInputs() {
  setInterval(() => room.socket.send({ type: "live.heartbeat", payload: {} }), HEARTBEAT_MS);
  setInterval(() => {
    if (!room.taps) return;
    room.socket.send({ type: "live.like", payload: { count: Math.min(room.taps, 50) } });
    room.taps = 0;
  }, LIKE_FLUSH_MS);
  $("#watch-like").addEventListener("click", () => { room.taps += 1; });
  $("#watch-bag-button").addEventListener("click", () => {
    $("#watch-bag").hidden = !$("#watch-bag").hidden;
    if (!$("#watch-bag").hidden) $("#watch-bag").scrollIntoView({ block: "nearest" });
  });
  $("#watch-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("#watch-text");
    if (!input.value.trim()) return;
    room.socket.send({ type: "live.comment", payload: { text: input.value } });
    input.value = "";
  });
}

start(async (me) => {
  room.me = me;
  const main = $("#watch");
  const id = Number(main.dataset.session);
  const watch = main.dataset.missing ? null : await api(`/audience/sessions/${id}`).catch(() => null);
  if (!watch) {
    setTitle(t("watch.missing_title"));
    $("#watch-missing").hidden = false;
    return;
  }
  setTitle(watch.title);
  $("#watch-room").hidden = false;
  $("#watch-title").textContent = watch.title;
  $("#watch-streamer").textContent = watch.streamer_name;
  $("#watch-login-link").href = `/login/?next=${encodeURIComponent(location.pathname)}`;
  if (watch.cover_url) $("#watch-video").poster = watch.cover_url;
  const promos = promoView(id, me);
  const bag = bagView(id, (item, choices) => promos.open(item, null, choices));
  bag.set(watch.bag);
  promos.load();
  followControl(watch, me);
  shareBox(watch);
  connect(id, watch, chatView(room), bag, promos);
  wireInputs();
}, { requireLogin: false });
