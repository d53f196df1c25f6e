// One session in the studio (#s/ID): its state with go live and end, the go-live panel
// (RTMP URL and key with copy buttons, a QR code for phone encoders, OBS settings, rotation),
// the preview (HLS), health, the line-up with explaining, and the assistants. The parts that
// change in real time (state, health, the cards and what is being explained) are drawn by
// the view library from one state object that the studio socket keeps fresh
// (docs/live-studio-socket.md), with a slow poll for a socket that cannot connect. Office
// staff see it all, read only.
import "app/strings/studio.js";
import qrcode from "qrcode-generator";
import { api } from "app/lib/api.js";
import { confirmDialog } from "app/lib/confirm.js";
import { copyButton } from "app/lib/copy.js";
import { $, el } from "app/lib/dom.js";
import { decimal, money, time } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { liveSocket } from "app/lib/socket.js";
import { playHls } from "app/lib/video.js";
import { html, render } from "app/lib/view.js";
import { showAudience } from "app/studio/audience.js";
import { closeAfter, initAfter, openAfter, sessionChanged } from "app/studio/after.js";
import { closePromotions, initPromotions, openPromotions } from "app/studio/promotions.js";
import { closeRoom, onRoomMessage, openRoom } from "app/studio/room.js";

const OPEN = ["scheduled", "rehearsal", "live"];
const POLL_MS = 4000;
const PREVIEW_RETRY_MS = 2000;
const view = { session: null, items: [], health: null, socket: null, timer: null, player: null, previewing: null };

const path = (rest = "") => `/live/sessions/${view.session.id}${rest}`;
const post = (rest, body) => api(path(rest), { method: "POST", body });

// ---- what changes in real time (the view library) --------------------------------------

function Head({ s }) {
  const owner = s.is_owner && OPEN.includes(s.state);
  const move = (rest, body) => (event) => {
    const button = event.currentTarget;
    guarded(() => post(rest, body), { near: button }).then((moved) => {
      if (!moved) return;
      update({ session: moved });
      toast(t("studio.moved", { state: t(`studio.state.${moved.state}`) }), { near: $("#session-state") });
    });
  };
  const editable = s.is_owner && ["scheduled", "rehearsal"].includes(s.state);
  const upload = (event) => {
    const input = event.currentTarget;
    if (!input.files.length) return;
    const body = new FormData();
    body.append("file", input.files[0]);
    guarded(() => api(path("/cover"), { method: "POST", body }), { near: input }).then((saved) => {
      input.value = "";
      if (!saved) return;
      update({ session: saved });
      toast(t("studio.cover_saved"), { near: input });
    });
  };
  return html`
    ${s.cover_url && html`<img id="session-cover" class="cover" src=${s.cover_url} alt=${t("studio.cover")} />`}
    ${editable && html`
      <label class="cover-pick">${t("studio.cover_pick")}
        <input type="file" id="cover-file" accept="image/jpeg,image/png,image/webp" onChange=${upload} /></label>`}
    <h2 id="session-title">${s.title}</h2>
    <p class="row wrap">
      <span id="session-state" class=${`status status-${s.state}`} data-state=${s.state}>${t(`studio.state.${s.state}`)}</span>
      <span id="signal" class="muted" data-publishing=${String(s.publishing)}>
        ${t(s.publishing ? "studio.signal_on" : "studio.signal_off")}</span>
      <span id="session-start" class="muted">${time(s.scheduled_start)}</span>
    </p>
    ${owner && html`
      <div id="owner-actions" class="row wrap">
        ${s.state === "rehearsal" && html`
          <button type="button" class="accent" id="go-live" onClick=${move("/go-live")}>${t("studio.go_live")}</button>`}
        ${s.state === "live" && html`
          <button type="button" id="end-live" onClick=${move("/end", { reason: "" })}>${t("studio.end")}</button>`}
        ${s.state !== "live" && html`
          <button type="button" id="cancel-session" onClick=${move("/cancel", { reason: "" })}>${t("studio.cancel")}</button>`}
      </div>`}`;
}

function Health({ h }) {
  if (!h || !h.at) return html`<p id="health-figures" class="muted">${t("studio.no_figures")}</p>`;
  const res = h.width && h.height ? `${h.width}×${h.height}` : t("format.none");
  return html`
    <p id="health-figures" class="muted">${t("studio.figures", {
      kbps: decimal(h.bitrate_kbps), res, fps: decimal(h.fps), up: decimal(h.uptime_s),
      kf: decimal(h.keyframe_interval_s, 1) })}</p>
    ${h.warnings.length > 0 && html`
      <ul id="health-warnings" class="error warnings" role="alert">
        ${h.warnings.map((w) => html`<li key=${w.code} data-code=${w.code}>${w.message}</li>`)}
      </ul>`}`;
}

// The buttons a card offers, as [action, request]: "explain" only while live.
function cardActions(s, item) {
  const card = (state) => () => api(path(`/lineup/${item.id}`), { method: "PATCH", body: { state } });
  const actions = [];
  if (item.state === "hidden") actions.push(["list", card("listed")]);
  if (item.state === "listed" && s.state === "live") actions.push(["explain", () => post(`/lineup/${item.id}/explain`)]);
  if (item.state === "explaining") actions.push(["explain_end", () => post("/explain/end")]);
  if (item.state !== "sold_out") actions.push(["sold_out", card("sold_out")]);
  if (item.state === "listed") actions.push(["hide", card("hidden")]);
  return actions;
}

function Lineup({ s, items }) {
  const act = (request) => (event) => guarded(request, { near: event.currentTarget }).then(refreshLineup);
  const explaining = items.find((item) => item.state === "explaining");
  return html`
    ${explaining && html`<p id="explaining" class="notice">${t("studio.explaining_now", { title: explaining.title })}</p>`}
    <ul id="lineup" class="studio-list lineup">
      ${items.length ? items.map((item) => html`
        <li key=${item.id} data-id=${item.id} data-state=${item.state}>
          <span class="title">${item.title}</span>
          <span class="price">${money(item.live_price)}</span>
          <span class=${`status lineup-${item.state}`}>${t(`studio.card.${item.state}`)}</span>
          ${s.can_control && cardActions(s, item).map(([action, request]) => html`
            <button type="button" data-action=${action} onClick=${act(request)}>${t(`studio.${action}`)}</button>`)}
        </li>`) : html`<li class="muted empty">${t("studio.lineup_empty")}</li>`}
    </ul>`;
}

function paint() {
  const s = view.session;
  render(s && html`<${Head} s=${s} />`, $("#session-head"));
  render(s && html`<${Health} h=${view.health} />`, $("#health"));
  render(s && html`<${Lineup} s=${s} items=${view.items} />`, $("#lineup-box"));
  if (!s) return;
  $("#key-panel").hidden = !(s.is_owner && OPEN.includes(s.state));
  $("#lineup-form").hidden = !s.can_control;
  $("#assistant-form").hidden = !s.is_owner;
  if (s.publishing && (s.can_control || s.state === "live")) startPreview(s.id);
}

function update(changes) {
  Object.assign(view, changes);
  paint();
  if (changes.session) sessionChanged(changes.session);
}

async function refreshSession() {
  const id = view.session.id;
  const [session, health] = await Promise.all([
    guarded(() => api(`/live/sessions/${id}`)),
    api(`/live/sessions/${id}/health`).catch(() => null),
  ]);
  if (session && view.session && view.session.id === id) update({ session, health });
  showAudience(id);
}

async function refreshLineup() {
  const id = view.session && view.session.id;
  const items = id && (await guarded(() => api(`/live/sessions/${id}/lineup`)));
  if (items && view.session && view.session.id === id) update({ items });
}

function onMessage(message) {
  if (!view.session) return;
  if (onRoomMessage(message)) return;
  if (message.type === "live.state") refreshSession();
  else if (message.type === "live.card" || message.type === "live.explain") refreshLineup();
  else if (message.type === "studio.health") update({ health: message.payload });
}

// ---- the preview -----------------------------------------------------------------------

function stopPreview() {
  if (view.player) view.player.stop();
  Object.assign(view, { player: null, previewing: null });
  const video = $("#preview");
  delete video.dataset.playing;
  $("#preview-status").textContent = t("studio.no_signal");
}

async function startPreview(id) {
  if (view.previewing === id) return;
  view.previewing = id;
  const playback = await guarded(() => api(`/live/sessions/${id}/playback`));
  if (view.previewing !== id) return; // left the session meanwhile
  if (!playback) { view.previewing = null; return; }
  const video = $("#preview");
  view.player = playHls(video, playback.url, {
    config: { liveSyncDurationCount: 2 },
    // The playlist appears a segment after the encoder connects: ask again until it does.
    onError: () => {
      if (view.previewing !== id) return;
      Object.assign(view, { player: null, previewing: null });
      setTimeout(() => view.session && view.session.id === id && paint(), PREVIEW_RETRY_MS);
    },
  });
  video.play().catch(() => {});
}

// ---- the key, the assistants and the forms -------------------------------------------------

function showKey(key) {
  [["#rtmp-url", key.rtmp_url, "copy-rtmp-url"], ["#stream-key", key.stream_key, "copy-stream-key"]]
    .forEach(([selector, value, id]) => {
      const input = $(selector);
      input.value = value;
      input.parentElement.replaceChildren(input, copyButton(value, { id }));
    });
  const qr = qrcode(0, "M");
  qr.addData(key.full_url);
  qr.make();
  $("#key-qr").innerHTML = qr.createSvgTag({ cellSize: 4, margin: 2 });
  const o = key.obs;
  $("#obs-settings").textContent = t("studio.obs", {
    kf: o.keyframe_interval_s, vb: o.video_bitrate_kbps, ab: o.audio_bitrate_kbps,
    res: o.resolution, fps: o.fps, rc: o.rate_control,
  });
  $("#key-box").hidden = false;
}

function hideKey() {
  $("#key-box").hidden = true;
  ["#rtmp-url", "#stream-key"].forEach((selector) => {
    const input = $(selector);
    input.value = "";
    input.parentElement.replaceChildren(input);
  });
  $("#key-qr").replaceChildren();
}

async function refreshAssistants() {
  const s = view.session;
  const rows = await guarded(() => api(path("/assistants")));
  if (!rows || view.session !== s) return;
  const remove = (a) => async (event) => {
    const button = event.currentTarget;
    const done = await guarded(() => api(path(`/assistants/${a.user_id}`), { method: "DELETE" }).then(() => true),
      { near: button });
    if (!done) return;
    toast(t("studio.removed", { name: a.display_name || a.username }), { near: $("#assistants") });
    refreshAssistants();
  };
  $("#assistants").replaceChildren(...(rows.length ? rows.map((a) => el("li", { "data-user": a.user_id },
    el("span", {}, `${a.display_name} (${a.username})`),
    s.is_owner && el("button", { type: "button", class: "link", "data-action": "remove", onclick: remove(a) },
      t("studio.remove"))))
    : [el("li", { class: "muted empty" }, t("studio.assistants_empty"))]));
}

export function initConsole() {
  initAfter();
  initPromotions();
  const video = $("#preview");
  video.addEventListener("playing", () => {
    $("#preview-status").textContent = t("studio.playing");
    video.dataset.playing = "1";
  });
  $("#reveal-key").addEventListener("click", (event) => {
    guarded(() => post("/key/reveal"), { near: event.currentTarget }).then((key) => key && showKey(key));
  });
  $("#rotate-key").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    if (!(await confirmDialog(t("studio.rotate_confirm"), { ok: t("studio.rotate_ok"), danger: true }))) return;
    const key = await guarded(() => post("/key/rotate"), { near: button });
    if (!key) return;
    showKey(key);
    toast(t("studio.rotated"), { near: button });
  });
  const lineupForm = $("#lineup-form");
  lineupForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = lineupForm.elements;
    const body = { sku_id: f.sku_id.value.trim(), live_price: f.live_price.value.trim(), position: 0 };
    if (await submitForm(lineupForm, () => post("/lineup", body), { success: t("studio.added") })) {
      lineupForm.reset();
      refreshLineup();
    }
  });
  const assistantForm = $("#assistant-form");
  assistantForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { username: assistantForm.elements.username.value.trim() };
    if (await submitForm(assistantForm, () => post("/assistants", body), { success: t("studio.added") })) {
      assistantForm.reset();
      refreshAssistants();
    }
  });
}

export async function openSession(id) {
  const session = await guarded(() => api(`/live/sessions/${id}`));
  if (!session) return null;
  update({ session, items: [], health: await api(`/live/sessions/${id}/health`).catch(() => null) });
  await Promise.all([refreshLineup(), refreshAssistants(), showAudience(id)]);
  if (!view.session || view.session.id !== session.id) return null; // left meanwhile
  view.socket = liveSocket(`/ws/studio/${id}/`, { onMessage });
  view.timer = setInterval(refreshSession, POLL_MS);
  openRoom(session, (message) => view.socket && view.socket.send(message));
  openAfter(session);
  openPromotions(session);
  return session;
}

export function closeSession() {
  if (view.socket) view.socket.close();
  clearInterval(view.timer);
  closeRoom();
  closeAfter();
  closePromotions();
  stopPreview();
  hideKey();
  [$("#lineup-form"), $("#assistant-form")].forEach((form) => form.reset());
  $("#assistants").replaceChildren();
  $("#session-audience").hidden = true;
  update({ session: null, items: [], health: null, socket: null, timer: null });
}
