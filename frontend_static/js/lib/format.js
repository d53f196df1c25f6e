// How the pages show money, times, figures and phone numbers: the only place they are formatted.
import "app/strings/common.js";
import { t } from "app/lib/i18n.js";

const ZONE = "Asia/Shanghai"; // times are shown at +08:00 wherever the browser is

// "1234.5" or 1234.5 → "¥1,234.50"; money travels as strings of yuan ("39.90").
export function money(value) {
  if (value == null || value === "" || Number.isNaN(Number(value))) return t("format.none");
  const fen = Math.round(Number(value) * 100);
  const yuan = String(Math.trunc(Math.abs(fen) / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = String(Math.abs(fen) % 100).padStart(2, "0");
  return `${fen < 0 ? "-" : ""}¥${yuan}.${cents}`;
}

// Sum of price × quantity in fen, so 0.1 + 0.2 never shows; returned as a yuan string.
export function moneySum(lines) {
  const fen = lines.reduce((sum, [price, quantity]) => sum + Math.round(Number(price) * 100) * quantity, 0);
  return (fen / 100).toFixed(2);
}

function parts(iso) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  return Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

// "2026-11-28T02:00:00Z" → "2026-11-28 10:00"
export function time(iso) {
  if (!iso) return t("format.none");
  const p = parts(iso);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

// "2026-11-28T02:00:00Z" → "2026-11-28"
export function date(iso) {
  if (!iso) return t("format.none");
  const p = parts(iso);
  return `${p.year}-${p.month}-${p.day}`;
}

// Figures (a bitrate, an interval): 2500 → "2,500", decimal(2.04, 1) → "2.0"; none → "—".
export function decimal(value, digits = 0) {
  if (value == null || value === "" || Number.isNaN(Number(value))) return t("format.none");
  return new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(Number(value));
}

// "13912345678" → "139****5678" (the API masks others' phones itself; this is for echoes).
export function maskPhone(phone) {
  if (!phone) return t("format.none");
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";
}
