// The bare viewer page of a live room (/live/watch/?id=N): the stream, viewers, likes, the
// order ticker, the pinned comment and the chat, over /ws/live/<id>/
// (docs/live-room-socket.md). Visitors watch and like; signed-in viewers comment and report.
// Likes are counted here and sent at most twice a second; a heartbeat every 15 s keeps the
// viewer counted; a random id kept in localStorage makes a reload the same viewer.
import "app/strings/live-watch.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";
import { liveSocket } from "app/lib/socket.js";
import { playHls } from "app/lib/video.js";

const LIKE_FLUSH_MS = 500;
const HEARTBEAT_MS = 15000;
const CHAT_KEEP = 100;
const room = { socket: null, taps: 0, comments: new Map(), me: null };

function viewerId() {
  let vid = localStorage.getItem("live.vid");
  if (!vid) {
    vid = `v${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.slice(0, 32);
    localStorage.setItem("live.vid", vid);
  }
  return vid;
}

function counts(likes, viewers) {
  $("#watch-likes").textContent = t("watch.likes", { n: likes });
  $("#watch-viewers").textContent = t("watch.viewers", { n: viewers });
}

function addComment(c, { mine = false, visible = true } = {}) {
  if (room.comments.has(c.id)) return;
  const report = room.me && !mine && el("button", { type: "button", class: "link", "data-action": "report",
    onclick: () => room.socket.send({ type: "live.report", payload: { comment_id: c.id, reason: "" } }) },
  t("watch.report"));
  const row = el("li", { "data-id": c.id }, el("b", {}, c.name), " ", c.text,
    !visible && el("span", { class: "muted" }, t("watch.only_you")), report);
  room.comments.set(c.id, row);
  const list = $("#watch-chat");
  list.append(row);
  while (list.children.length > CHAT_KEEP) {
    room.comments.delete(Number(list.firstChild.dataset.id));
    list.firstChild.remove();
  }
  list.scrollTop = list.scrollHeight;
}

function pin(comment) {
  const box = $("#watch-pinned");
  box.hidden = !comment;
  box.textContent = comment ? t("watch.pinned", { name: comment.name, text: comment.text }) : "";
}

function switches(p) {
  const notes = [p.muted_all && t("watch.muted_all"), p.slow_mode_s && t("watch.slow_mode", { s: p.slow_mode_s })];
  $("#watch-error").hidden = !notes.some(Boolean);
  $("#watch-error").textContent = notes.filter(Boolean).join(" · ");
}

function onMessage({ type, payload: p }) {
  if (type === "live.hello") {
    $("#watch-state").textContent = t(`watch.state.${p.state}`);
    counts(p.likes, p.viewers);
    p.comments.forEach((c) => addComment(c));
    pin(p.pinned);
    switches(p);
    $("#watch-form").hidden = !p.can_comment;
    $("#watch-login").hidden = p.can_comment;
  } else if (type === "live.tick") {
    counts(p.likes, p.viewers);
    p.comments.forEach((c) => addComment(c));
    if (p.orders) {
      const ticker = $("#watch-ticker");
      ticker.textContent = p.orders.text;
      ticker.hidden = false;
    }
  } else if (type === "live.comment_sent") {
    addComment(p.comment, { mine: true, visible: p.visible });
  } else if (type === "live.comment_hidden") {
    const row = room.comments.get(p.comment_id);
    if (row) row.remove();
  } else if (type === "live.pin") {
    pin(p.comment);
  } else if (type === "live.room") {
    switches(p);
  } else if (type === "live.state") {
    $("#watch-state").textContent = t(`watch.state.${p.state}`);
  } else if (type === "live.reported") {
    toast(t("watch.reported"));
  } else if (type === "live.error") {
    toast(p.message, { kind: "error", near: $("#watch-form") });
  }
}

start(async (me) => {
  room.me = me;
  setTitle(t("watch.title"));
  const id = Number(new URLSearchParams(location.search).get("id"));
  const playback = await api(`/live/sessions/${id}/playback`).catch(() => null);
  if (!id) { $("#watch-missing").hidden = false; return; }
  $("#watch-room").hidden = false;
  if (playback) playHls($("#watch-video"), playback.url, { config: { liveSyncDurationCount: 2 } });
  room.socket = liveSocket(`/ws/live/${id}/?vid=${viewerId()}`, { onMessage });
  setInterval(() => room.socket.send({ type: "live.heartbeat", payload: {} }), HEARTBEAT_MS);
  setInterval(() => {
    if (!room.taps) return;
    room.socket.send({ type: "live.like", payload: { count: Math.min(room.taps, 50) } });
    room.taps = 0;
  }, LIKE_FLUSH_MS);
  $("#watch-like").addEventListener("click", () => { room.taps += 1; });
  $("#watch-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("#watch-text");
    if (!input.value.trim()) return;
    room.socket.send({ type: "live.comment", payload: { text: input.value } });
    input.value = "";
  });
}, { requireLogin: false });
