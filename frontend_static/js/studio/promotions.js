// Selling in the stream, in the studio console: create and launch coupons, flash sales and
// lotteries during the stream, with their live figures (claimed, sold, entrants),
// polled every few seconds. Rules: docs/decisions/0720-promotions-app.md.
import "app/strings/studio-promotions.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money, time } from "app/lib/format.js";
import { confirmDialog } from "app/lib/confirm.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";

const POLL_MS = 5000;
const promo = { id: null, timer: null, control: false };

const base = () => `/promotions/sessions/${promo.id}`;
const running = (iso) => Date.parse(iso) > Date.now();

// Stop a coupon's claims or end a flash sale now, after a confirmation.
function stopButton(label, question, path) {
  return el("button", { type: "button", "data-action": "stop", onclick: async (event) => {
    const button = event.currentTarget;
    if (!(await confirmDialog(question, { ok: label, danger: true }))) return;
    if (await guarded(() => api(path, { method: "POST" }), { near: button })) {
      toast(t("promo.stopped"), { near: button });
      refresh();
    }
  } }, label);
}

function couponRow(c) {
  const off = c.kind === "amount" ? money(c.amount_off) : t("promo.percent", { n: c.percent_off });
  return el("li", { "data-coupon": c.id },
    el("span", { class: "title" }, c.name),
    el("span", { class: "muted" }, t("promo.coupon_terms", { off, threshold: money(c.threshold) })),
    el("span", { class: "figures" }, t("promo.coupon_figures", { claimed: c.claimed, total: c.total_quantity, used: c.used })),
    promo.control && running(c.claim_ends_at) && c.left > 0
      ? stopButton(t("promo.coupon_stop"), t("promo.coupon_stop_q", { name: c.name }), `/promotions/coupons/${c.id}/stop`)
      : el("span", { class: "status" }, t(c.left > 0 ? "promo.claims_closed" : "promo.all_claimed")));
}

function flashRow(f) {
  return el("li", { "data-flash": f.id },
    el("span", { class: "title" }, t("promo.flash_title", { sku: f.sku_id, price: money(f.price) })),
    el("span", { class: "muted" }, t("promo.until", { at: time(f.ends_at) })),
    el("span", { class: "figures" }, f.left ? t("promo.flash_figures", { sold: f.sold, total: f.quantity })
      : t("promo.sold_out")),
    promo.control && f.left > 0 && running(f.ends_at)
      && stopButton(t("promo.flash_end"), t("promo.flash_end_q"), `/promotions/flash-sales/${f.id}/end`));
}

function lotteryRow(x) {
  return el("li", { "data-lottery": x.id },
    el("span", { class: "title" }, x.title),
    el("span", { class: "muted" }, t("promo.draw_at", { at: time(x.draw_at) })),
    el("span", { class: "figures" }, t("promo.entrants", { n: x.entrants })),
    el("a", { href: `/api/v1/promotions/lotteries/${x.id}/proof`, target: "_blank" },
      x.drawn ? t("promo.proof") : t("promo.seed_hash")));
}

function list(box, rows, row) {
  $(box).replaceChildren(...(rows.length ? rows.map(row) : [el("li", { class: "muted empty" }, t("promo.none"))]));
}

async function refresh() {
  if (!promo.id) return;
  const [coupons, flashes, lotteries] = await Promise.all([
    api(`${base()}/coupons`, { fresh: true }), api(`${base()}/flash-sales`, { fresh: true }),
    api(`${base()}/lotteries`, { fresh: true })]).catch(() => [null, null, null]);
  if (!coupons) return;
  list("#promo-coupons", coupons, couponRow);
  list("#promo-flashes", flashes, flashRow);
  list("#promo-lotteries", lotteries, lotteryRow);
}

function bind(form, path, body) {
  $(form).addEventListener("submit", async (event) => {
    event.preventDefault();
    const made = await submitForm(event.target, () => api(`${base()}/${path}`, { method: "POST", body: body(event.target.elements) }),
      { success: t("promo.launched") });
    if (made) { event.target.reset(); refresh(); }
  });
}

export function initPromotions() {
  bind("#coupon-form", "coupons", (f) => ({
    name: f.name.value.trim(), kind: f.kind.value,
    amount_off: f.kind.value === "amount" ? f.off.value.trim() || "0" : "0",
    percent_off: f.kind.value === "percent" ? Number(f.off.value) || 0 : 0,
    threshold: f.threshold.value.trim() || "0", total_quantity: Number(f.total.value) || 0,
    per_user_limit: Number(f.limit.value) || 1, claim_minutes: Number(f.minutes.value) || 0 }));
  bind("#flash-form", "flash-sales", (f) => ({
    sku_id: Number(f.sku_id.value) || 0, price: f.price.value.trim(), quantity: Number(f.quantity.value) || 0,
    per_buyer_cap: Number(f.cap.value) || 1, minutes: Number(f.minutes.value) || 0 }));
  bind("#lottery-form", "lotteries", (f) => ({
    title: f.title.value.trim(), entry_kind: f.entry_kind.value, keyword: f.keyword.value.trim(),
    rules: f.rules.value.trim(), prize_coupon_id: Number(f.prize_coupon_id.value) || null,
    prize_sku_id: Number(f.prize_sku_id.value) || null, prize_value: f.prize_value.value.trim() || "0",
    winners_count: Number(f.winners.value) || 0, minutes: Number(f.minutes.value) || 0 }));
}

export function openPromotions(session) {
  promo.id = session.id;
  promo.control = Boolean(session.can_control);
  $("#promo-panel").hidden = false;
  document.querySelectorAll("#promo-panel form").forEach((form) => { form.hidden = !session.can_control; });
  refresh();
  promo.timer = setInterval(refresh, POLL_MS);
}

export function closePromotions() {
  clearInterval(promo.timer);
  promo.id = null;
  promo.timer = null;
  document.querySelectorAll("#promo-panel form").forEach((form) => form.reset());
}
