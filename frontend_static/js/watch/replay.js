// After the end: the replay (GET /api/v1/live/sessions/<id>/replay) with its product
// chapters; a chapter seeks the video to where that product was explained.
import "app/strings/live-watch.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { playHls } from "app/lib/video.js";

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

function play(video, url) {
  if (url.includes(".m3u8")) playHls(video, url);
  else video.src = url;
}

export async function showReplay(sessionId) {
  const box = $("#watch-replay");
  box.hidden = false;
  const replay = await api(`/live/sessions/${sessionId}/replay`, { fresh: true })
    .catch(() => ({ state: "none", chapters: [] }));
  box.dataset.state = replay.state;
  const video = $("#watch-video");
  $("#watch-replay-state").hidden = replay.state === "ready";
  $("#watch-replay-state").textContent = t(`watch.replay.${replay.state}`);
  if (replay.state !== "ready" || !replay.video_url) return;
  video.muted = false;
  if (replay.cover_url) video.poster = replay.cover_url;
  play(video, replay.video_url);
  $("#watch-chapters").replaceChildren(...replay.chapters.map((c) => el("li",
    { "data-product": c.product_id, "data-start": c.start_s },
    el("button", { type: "button", class: "link chapter", onclick: () => {
      video.currentTime = c.start_s;
      video.play().catch(() => {});
      box.dataset.chapter = c.product_id;
    } }, t("watch.chapter", { time: clock(c.start_s), title: c.title })),
    c.clip_url && el("a", { href: c.clip_url, class: "link", target: "_blank", rel: "noopener" }, t("watch.clip")),
  )));
}
