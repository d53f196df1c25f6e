// The room in the studio console: viewers, likes, the order ticker, the chat with hide /
// pin / mute, mute-all and slow mode, the report queue (reports), and the per-minute chart
// (ECharts) of viewers, likes, comments, orders and GMV. Fed by the studio socket's room
// frames (docs/live-room-socket.md); moderation goes back on the same socket.
import "app/strings/studio.js";
import { api } from "app/lib/api.js";
import { chart } from "app/lib/chart.js";
import { $ } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { html, render } from "app/lib/view.js";

const KEEP = 100;
const MUTE_MINUTES = 10;
const room = { id: null, send: null, can: false, likes: 0, viewers: 0, ticker: "", comments: [],
  pinned: null, reports: [], muted_all: false, slow_mode_s: 0, minutes: [], chart: null };

function command(type, payload) {
  room.send && room.send({ type, payload });
}

function Room() {
  const comment = (c) => html`
    <li key=${c.id} data-id=${c.id}>
      <b>${c.name}</b> ${c.text}
      ${room.can && html`
        <button type="button" class="link" data-action="hide" onClick=${() => command("room.hide", { comment_id: c.id })}>${t("studio.room_hide")}</button>
        <button type="button" class="link" data-action="pin" onClick=${() => command("room.pin", { comment_id: c.id })}>${t("studio.room_pin")}</button>
        <button type="button" class="link" data-action="mute" onClick=${() => command("room.mute", { user_id: c.user_id, minutes: MUTE_MINUTES })}>${t("studio.room_mute", { n: MUTE_MINUTES })}</button>`}
    </li>`;
  return html`
    <p class="row wrap">
      <span id="room-viewers">${t("studio.room_viewers", { n: room.viewers })}</span>
      <span id="room-likes">${t("studio.room_likes", { n: room.likes })}</span>
    </p>
    ${room.ticker && html`<p id="room-ticker" class="notice">${room.ticker}</p>`}
    ${room.pinned && html`<p id="room-pinned" class="notice">${t("studio.room_pinned", { name: room.pinned.name, text: room.pinned.text })}
      ${room.can && html`<button type="button" class="link" onClick=${() => command("room.pin", { comment_id: null })}>${t("studio.room_unpin")}</button>`}</p>`}
    ${room.can && html`
      <p class="row wrap">
        <label><input type="checkbox" id="room-mute-all" checked=${room.muted_all}
          onChange=${(e) => command("room.set", { muted_all: e.currentTarget.checked })} /> ${t("studio.room_mute_all")}</label>
        <label>${t("studio.room_slow")}
          <select id="room-slow" value=${String(room.slow_mode_s)}
            onChange=${(e) => command("room.set", { slow_mode_s: Number(e.currentTarget.value) })}>
            ${[0, 5, 10, 30, 60].map((s) => html`<option value=${String(s)}>${s ? `${s} s` : t("studio.room_slow_off")}</option>`)}
          </select></label>
      </p>`}
    <ul id="room-chat" class="studio-list chat">
      ${room.comments.length ? room.comments.map(comment) : html`<li class="muted empty">${t("studio.room_quiet")}</li>`}
    </ul>
    ${room.can && room.reports.length > 0 && html`
      <h4>${t("studio.room_reports")}</h4>
      <ul id="room-reports" class="studio-list">
        ${room.reports.map((r) => html`<li key=${r.id} data-id=${r.id}>
          <b>${r.comment.name}</b> ${r.comment.text} <span class="muted">${r.reason}</span>
          <button type="button" class="link" onClick=${() => command("room.hide", { comment_id: r.comment.id })}>${t("studio.room_hide")}</button>
        </li>`)}
      </ul>`}`;
}

function drawChart() {
  const node = $("#minutes-chart");
  if (!node) return;
  const labels = room.minutes.map((m) => m.minute.slice(11, 16));
  const option = {
    tooltip: { trigger: "axis" },
    legend: { data: [t("studio.m_viewers"), t("studio.m_likes"), t("studio.m_comments"), t("studio.m_orders"), t("studio.m_gmv")] },
    xAxis: { type: "category", data: labels },
    yAxis: [{ type: "value" }, { type: "value", name: t("studio.m_gmv") }],
    series: [
      { name: t("studio.m_viewers"), type: "line", data: room.minutes.map((m) => m.viewers) },
      { name: t("studio.m_likes"), type: "line", data: room.minutes.map((m) => m.likes) },
      { name: t("studio.m_comments"), type: "line", data: room.minutes.map((m) => m.comments) },
      { name: t("studio.m_orders"), type: "bar", data: room.minutes.map((m) => m.orders) },
      { name: t("studio.m_gmv"), type: "line", yAxisIndex: 1, data: room.minutes.map((m) => Number(m.gmv)) },
    ],
  };
  if (!room.chart) room.chart = chart(node, option);
  else room.chart.update(option);
  node.dataset.minutes = String(room.minutes.length);
  node.title = room.minutes.length ? t("studio.m_last", { gmv: money(room.minutes[room.minutes.length - 1].gmv) }) : "";
}

function paint() {
  render(room.id && html`<${Room} />`, $("#room-box"));
}

function mergeMinutes(rows) {
  const byMinute = new Map(room.minutes.map((m) => [m.minute, m]));
  rows.forEach((m) => byMinute.set(m.minute, m));
  room.minutes = [...byMinute.values()].sort((a, b) => (a.minute < b.minute ? -1 : 1));
  drawChart();
}

export async function openRoom(session, send) {
  Object.assign(room, { id: session.id, send, can: session.can_control, comments: [], reports: [], minutes: [], ticker: "" });
  paint();
  const [report, reports] = await Promise.all([
    api(`/live/sessions/${session.id}/report`).catch(() => null),
    session.can_control ? api(`/live/sessions/${session.id}/reports`).catch(() => []) : [],
  ]);
  if (room.id !== session.id) return;
  if (report) {
    Object.assign(room, { likes: report.likes });
    mergeMinutes(report.minutes);
  }
  room.reports = reports || [];
  paint();
}

export function onRoomMessage({ type, payload: p }) {
  if (!room.id) return false;
  if (type === "live.tick") {
    Object.assign(room, { likes: p.likes, viewers: p.viewers });
    room.comments = [...room.comments, ...p.comments].slice(-KEEP);
    if (p.orders) room.ticker = p.orders.text;
  } else if (type === "live.comment_hidden") {
    room.comments = room.comments.filter((c) => c.id !== p.comment_id);
    room.reports = room.reports.filter((r) => r.comment.id !== p.comment_id);
  } else if (type === "live.pin") {
    room.pinned = p.comment;
  } else if (type === "live.room") {
    Object.assign(room, { muted_all: p.muted_all, slow_mode_s: p.slow_mode_s });
  } else if (type === "studio.report") {
    room.reports = [...room.reports, p];
  } else if (type === "live.metrics") {
    mergeMinutes(p.minutes);
  } else {
    return false;
  }
  paint();
  return true;
}

export function closeRoom() {
  if (room.chart) room.chart.dispose();
  Object.assign(room, { id: null, send: null, chart: null, comments: [], reports: [], minutes: [], pinned: null, ticker: "" });
  paint();
}
