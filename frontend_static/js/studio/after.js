// After and beyond the stream, in the studio console: restream targets with their health
// (connected, bitrate, last error) and the form that adds one (the streamer's own: the
// platform's key goes in and never comes back), then the replay with its chapters and each
// explained product's clip with its state (a failed one shows ffmpeg's words and can be
// made again). Polled while the session is open; drawn by the view library.
import "app/strings/studio.js";
import { api } from "app/lib/api.js";
import { decimal } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { $ } from "app/lib/dom.js";
import { html, render } from "app/lib/view.js";

const POLL_MS = 5000;
const PLATFORMS = ["douyin", "channels", "kuaishou", "custom"];
const after = { session: null, targets: [], replay: null, clips: [], timer: null };

const path = (rest) => `/live/sessions/${after.session.id}${rest}`;
const seconds = (s) => t("studio.seconds", { n: decimal(s, 1) });

async function refresh() {
  if (!after.session) return;
  const id = after.session.id;
  const [targets, replay, clips] = await Promise.all([
    api(path("/restreams")).catch(() => []),
    api(path("/replay")).catch(() => null),
    api(path("/clips")).catch(() => []),
  ]);
  if (!after.session || after.session.id !== id) return;
  Object.assign(after, { targets, replay, clips });
  paint();
}

function Target({ x }) {
  const owner = after.session.is_owner;
  const toggle = (event) => guarded(() => api(path(`/restreams/${x.id}`),
    { method: "PATCH", body: { enabled: event.currentTarget.checked } }), { near: event.currentTarget }).then(refresh);
  const remove = (event) => guarded(() => api(path(`/restreams/${x.id}`), { method: "DELETE" }),
    { near: event.currentTarget }).then(refresh);
  return html`
    <li data-id=${x.id} data-status=${x.status}>
      <b>${x.label}</b> <span class="muted">${x.server_url}</span>
      <span class=${`status status-${x.status}`}>${t(`studio.rs_${x.status}`)}</span>
      ${x.status === "connected" && html`<span>${t("studio.rs_bitrate", { n: x.bitrate_kbps })}</span>`}
      ${x.failures > 0 && html`<span class="muted">${t("studio.rs_failures", { n: x.failures })}</span>`}
      ${x.last_error && html`<p class="muted error-tail">${x.last_error}</p>`}
      ${owner && html`
        <label><input type="checkbox" checked=${x.enabled} onChange=${toggle} /> ${t("studio.rs_enabled")}</label>
        <button type="button" class="link" data-action="remove" onClick=${remove}>${t("studio.remove")}</button>`}
    </li>`;
}

function Restreams() {
  return html`
    <ul id="restream-list" class="studio-list">
      ${after.targets.length ? after.targets.map((x) => html`<${Target} key=${x.id} x=${x} />`)
        : html`<li class="muted empty">${t("studio.rs_empty")}</li>`}
    </ul>`;
}

function Clip({ c }) {
  const retry = (event) => guarded(() => api(path(`/clips/${c.id}/retry`), { method: "POST" }),
    { near: event.currentTarget }).then((done) => { if (done) toast(t("studio.clip_queued")); refresh(); });
  return html`
    <li data-product=${c.product_id} data-state=${c.state}>
      <b>${c.title}</b> <span class=${`status status-${c.state}`}>${t(`studio.job_${c.state}`)}</span>
      ${c.duration_s !== null && html`<span class="muted">${seconds(c.duration_s)}</span>`}
      ${c.video_url && html`<a href=${c.video_url} download="">${t("studio.clip_download")}</a>`}
      ${c.state === "failed" && html`
        <p class="muted error-tail">${c.error}</p>
        ${after.session.can_control && html`<button type="button" data-action="retry" onClick=${retry}>${t("studio.clip_retry")}</button>`}`}
    </li>`;
}

function Replay() {
  const r = after.replay;
  if (!r || r.state === "none") return html`<p id="replay-state" class="muted">${t("studio.replay_none")}</p>`;
  const seek = (at) => () => { const v = $("#replay-video"); v.currentTime = at; v.play(); };
  return html`
    <p id="replay-state" data-state=${r.state}>${t(`studio.replay_${r.state}`)}
      ${r.duration_s !== null && html` · ${seconds(r.duration_s)}`}</p>
    ${r.state === "ready" && html`
      <video id="replay-video" class="preview" src=${r.video_url} poster=${r.cover_url} controls playsinline preload="metadata"></video>
      <ol id="replay-chapters" class="studio-list">
        ${r.chapters.map((c) => html`<li key=${`${c.product_id}-${c.start_s}`}>
          <button type="button" class="link" onClick=${seek(c.start_s)}>${seconds(c.start_s)}</button> ${c.title}</li>`)}
      </ol>`}
    ${after.clips.length > 0 && html`
      <h4>${t("studio.clips")}</h4>
      <ul id="clip-list" class="studio-list">${after.clips.map((c) => html`<${Clip} key=${c.id} c=${c} />`)}</ul>`}`;
}

function paint() {
  render(after.session && html`<${Restreams} />`, $("#restream-box"));
  render(after.session && html`<${Replay} />`, $("#replay-box"));
  $("#restream-form").hidden = !(after.session && after.session.is_owner && ["scheduled", "rehearsal", "live"].includes(after.session.state));
}

export function initAfter() {
  const select = $("#restream-platform");
  select.replaceChildren(...PLATFORMS.map((p) => Object.assign(document.createElement("option"), { value: p, textContent: t(`studio.platform_${p}`) })));
  const form = $("#restream-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { platform: f.platform.value, label: f.label.value.trim(), server_url: f.server_url.value.trim(), stream_key: f.stream_key.value.trim() };
    if (await submitForm(form, () => api(path("/restreams"), { method: "POST", body }), { success: t("studio.added") })) {
      form.reset();
      refresh();
    }
  });
}

export function openAfter(session) {
  after.session = session;
  paint();
  refresh();
  after.timer = setInterval(refresh, POLL_MS);
}

export function sessionChanged(session) {
  if (after.session && after.session.id === session.id) {
    after.session = session;
    paint();
  }
}

export function closeAfter() {
  clearInterval(after.timer);
  Object.assign(after, { session: null, targets: [], replay: null, clips: [], timer: null });
  $("#restream-form").reset();
  paint();
}
