// The contest leaderboard shared by the big screen and the public event page: a Preact
// component fed by the board socket (/ws/campaigns/<slug>/board/), which sends the current
// standings on every (re)connect and a new frame when a figure moves
// (docs/campaign-leaderboard-socket.md).
import "app/strings/events.js";
import { money, time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { liveSocket } from "app/lib/socket.js";
import { html, useEffect, useState } from "app/lib/view.js";

export function useBoard(slug) {
  const [board, setBoard] = useState(null);
  const [status, setStatus] = useState("connecting");
  useEffect(() => {
    const socket = liveSocket(`/ws/campaigns/${slug}/board/`, {
      onMessage: (m) => { if (m.type === "campaigns.board") setBoard(m.payload); },
      onStatus: (s) => setStatus(s),
    });
    return () => socket.close();
  }, [slug]);
  return [board, status];
}

const COLUMNS = ["gmv", "orders", "peak", "likes", "followers", "judges", "votes"];

function cell(row, key) {
  return key === "gmv" ? money(row.gmv) : String(row[key]);
}

export function Board({ board, columns = COLUMNS }) {
  if (!board) return html`<p class="muted">…</p>`;
  const shown = columns.filter((k) => k !== "votes" || board.voting);
  return html`<table class="board" data-stage=${board.stage}>
    <thead><tr><th>${t("events.rank")}</th><th>${t("events.name")}</th>
      <th>${t("events.total")}</th>${shown.map((k) => html`<th>${t(`events.${k}`)}</th>`)}</tr></thead>
    <tbody>${board.rows.length ? board.rows.map((r) => html`<tr data-entry=${r.entry_id} data-rank=${r.rank}>
      <td class="rank">${r.rank}</td>
      <td class="name">${r.name}${r.live ? html` <span class="badge live">${t("events.live")}</span>` : ""}</td>
      <td class="total" data-k="total">${r.total}</td>
      ${shown.map((k) => html`<td data-k=${k}>${cell(r, k)}</td>`)}</tr>`)
      : html`<tr><td colspan="10" class="muted">${t("events.empty")}</td></tr>`}</tbody>
  </table>
  <p class="muted board-at" data-at=${board.at}>${t(`events.stage.${board.stage}`)} · ${t("events.updated", { time: time(board.at) })}</p>`;
}
