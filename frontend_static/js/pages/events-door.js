// Door staff's phone page (/events/door/): scan a visitor's or participant's pass with the
// camera (where the browser can read QR codes) or type its code; a pass scanned twice in a
// day is told so and counted once. The day's counts follow every scan.
import "app/strings/events.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";

async function check(code) {
  const form = $("#door-form");
  const answer = await submitForm(form, () => api(`/campaigns/events/${form.event.value}/checkins`,
    { method: "POST", body: { code } }));
  if (!answer) return;
  const result = $("#door-result");
  result.dataset.counted = answer.counted ? "1" : "0";
  result.textContent = t(answer.counted ? "events.door.counted" : "events.door.again", { name: answer.name });
  $("#door-counts").replaceChildren(...answer.counts.map((c) => el("li", {}, t("events.door.counts", c))));
  form.code.value = "";
}

async function scan(button) {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    toast(t("events.door.no_camera"), { kind: "info", near: button });
    return;
  }
  const video = $("#door-video");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  const look = async () => {
    const found = await detector.detect(video).catch(() => []);
    if (found.length) {
      stream.getTracks().forEach((track) => track.stop());
      video.hidden = true;
      await check(found[0].rawValue);
    } else requestAnimationFrame(look);
  };
  look();
}

start(async () => {
  setTitle(t("events.door.title"));
  const events = await api("/campaigns/door/events", { fresh: true });
  $("#door-event").replaceChildren(...events.map((e) => el("option", { value: e.id }, e.title)));
  $("#door-form").addEventListener("submit", (e) => { e.preventDefault(); check($("#door-code").value); });
  $("#door-scan").addEventListener("click", (e) => scan(e.currentTarget));
});
