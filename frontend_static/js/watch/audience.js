// The viewer's own actions on the watch page: follow (with SMS on go-live), reminders before the
// start with its countdown, and sharing (the short link and the poster).
import "app/strings/live-watch.js";
import { api } from "app/lib/api.js";
import { copyButton } from "app/lib/copy.js";
import { $ } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { loginUrl } from "app/lib/shell.js";

function needLogin(me) {
  if (!me) location.href = loginUrl();
  return !me;
}

export function followControl(watch, me) {
  const button = $("#watch-follow");
  const sms = $("#watch-sms");
  function draw(state) {
    button.textContent = t(state.following ? "watch.following" : "watch.follow");
    button.dataset.following = state.following ? "1" : "0";
    $("#watch-followers").textContent = t("watch.followers", { n: state.followers });
    $("#watch-sms-label").hidden = !state.following;
    sms.checked = state.sms;
  }
  async function send(following) {
    const path = `/audience/streamers/${watch.streamer_id}/follow`;
    const body = { session_id: watch.id, sms: sms.checked };
    draw(following ? await api(path, { method: "PUT", body }) : await api(path, { method: "DELETE" }));
  }
  draw({ following: watch.following, followers: watch.followers, sms: watch.follow_sms });
  button.addEventListener("click", () => needLogin(me) || guarded(
    () => send(button.dataset.following !== "1"), { near: button }));
  sms.addEventListener("change", () => guarded(() => send(true), { near: sms }));
}

function countdown(startIso) {
  const left = Math.max(0, Math.floor((new Date(startIso) - Date.now()) / 1000));
  const hms = [Math.floor((left % 86400) / 3600), Math.floor((left % 3600) / 60), left % 60]
    .map((n) => String(n).padStart(2, "0")).join(":");
  if (!left) return t("watch.starting");
  return left >= 86400 ? t("watch.countdown", { d: Math.floor(left / 86400), hms }) : hms;
}

export function beforeStart(watch, me) {
  $("#watch-before").hidden = false;
  $("#watch-start").textContent = t("watch.start_at", { time: time(watch.scheduled_start) });
  const tick = () => { $("#watch-countdown").textContent = countdown(watch.scheduled_start); };
  tick();
  const timer = setInterval(tick, 1000);
  const button = $("#watch-remind");
  function draw(state) {
    button.dataset.subscribed = state.subscribed ? "1" : "0";
    button.textContent = t(state.subscribed ? "watch.reminded" : "watch.remind");
    $("#watch-subscribers").textContent = t("watch.subscribers", { n: state.subscribers });
  }
  draw(watch);
  button.addEventListener("click", () => needLogin(me) || guarded(async () => {
    const on = button.dataset.subscribed !== "1";
    draw(await api(`/audience/sessions/${watch.id}/reminder`, { method: on ? "PUT" : "DELETE" }));
    toast(t(on ? "watch.remind_done" : "watch.remind_undone"), { near: button });
  }, { near: button }));
  return () => { clearInterval(timer); $("#watch-before").hidden = true; };
}

export function shareBox(watch) {
  $("#watch-share-url").value = watch.share_url;
  $("#watch-share-copy").replaceChildren(copyButton(watch.share_url, { id: "watch-copy" }));
  $("#watch-poster-link").href = watch.poster_url;
  $("#watch-share-button").addEventListener("click", () => {
    const box = $("#watch-share");
    box.hidden = !box.hidden;
    if (!box.hidden && !$("#watch-poster").src) $("#watch-poster").src = watch.poster_url;
  });
}
