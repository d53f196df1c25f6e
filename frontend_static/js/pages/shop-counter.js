// The specialty shop's counter (/shop-counter/), for a tablet and usable on a phone: scan or
// tap goods from the shelf into a basket, priced by the shop's rules on the server, paid in
// cash, by card or by a QR payment (polled until the provider says paid); a printable 80 mm
// receipt; returns with the receipt; closing the shift. A failed QR payment keeps the basket.
import "app/strings/shop-counter.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money, time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded, showError, toast } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";

let shop = null;
let shelf = []; // what the shelf holds, by sku
const basket = new Map(); // sku_id → {item, quantity}
// One key per basket: a double tap sells once (getRandomValues works on plain http too).
const uuid = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
let key = uuid();
let polling = null;
const QR_WAIT_MS = 3 * 60 * 1000; // a QR payment not made by then is closed: no order

const newKey = () => { key = uuid(); };

async function loadShift() {
  const shift = await api(`/shop-counter/shops/${shop.id}/shift`).catch((err) => {
    if (err.code === "shop.no_open_shift") return null;
    throw err;
  });
  $("#shift-open").hidden = Boolean(shift);
  $("#counter-work").hidden = !shift;
  $("#shift-state").textContent = shift ? t("counter.shift_open", { time: time(shift.opened_at) }) : t("counter.no_shift");
  if (shift) {
    $("#close-form").dataset.shift = shift.id;
    const e = shift.expected;
    $("#expected").textContent = t("counter.expected", { cash: money(e.counter_cash), card: money(e.counter_card), qr: money(e.provider) });
  }
  return shift;
}

async function loadShelf() {
  shelf = await api(`/shop-counter/shops/${shop.id}/shelf`, { fresh: true });
  $("#shelf").replaceChildren(...shelf.map((item) => el("button", {
    type: "button", class: "shelf-item", "data-outer-id": item.outer_id, "data-sku-id": item.sku_id,
    onclick: (event) => add(item, event.currentTarget),
  }, el("strong", {}, item.title), el("span", {}, item.spec), el("span", { class: "muted" }, item.seller),
    el("span", { class: "price" }, money(item.price)), el("span", { class: "muted" }, t("counter.left", { n: item.quantity })))));
}

function add(item, near) {
  const line = basket.get(item.sku_id) || { item, quantity: 0 };
  line.quantity += 1;
  basket.set(item.sku_id, line);
  newKey();
  renderBasket(near);
}

function renderBasket(near = null) {
  const rows = [...basket.values()].map(({ item, quantity }) => el("tr", { "data-sku-id": item.sku_id },
    el("td", {}, el("div", {}, item.title), el("small", { class: "muted" }, `${item.spec} · ${item.seller}`)),
    el("td", {}, el("input", { type: "number", min: "1", max: "999", value: String(quantity), class: "qty", inputmode: "numeric",
      onchange: (event) => { basket.get(item.sku_id).quantity = Math.max(1, Number(event.target.value) || 1); newKey(); renderBasket(event.target); } })),
    el("td", { class: "price" }, money(item.price)),
    el("td", {}, el("button", { type: "button", class: "link", onclick: () => { basket.delete(item.sku_id); newKey(); renderBasket(); } }, t("counter.remove")))));
  $("#basket tbody").replaceChildren(...rows);
  $("#basket-empty").hidden = basket.size > 0;
  $$pay().forEach((b) => { b.disabled = basket.size === 0; });
  quote(near);
}

const $$pay = () => [$("#pay-cash"), $("#pay-card"), $("#pay-qr")];
const items = () => [...basket.values()].map(({ item, quantity }) => ({ sku_id: item.sku_id, quantity }));

async function quote(near) {
  if (!basket.size) { $("#quote").replaceChildren(); return; }
  const q = await guarded(() => api(`/shop-counter/shops/${shop.id}/quote`, { method: "POST", body: { items: items() } }), { near });
  if (!q) return;
  const pair = (label, value, id) => [el("dt", {}, label), el("dd", { id }, value)];
  $("#quote").replaceChildren(...pair(t("counter.goods"), money(q.goods_amount), "quote-goods"),
    ...pair(t("counter.discount") + (q.rule ? ` (${q.rule})` : ""), money(q.discount_amount), "quote-discount"),
    ...pair(t("counter.total"), money(q.total_amount), "quote-total"));
}

function showReceipt(r) {
  const lines = r.orders.flatMap((o) => [
    el("div", { class: "r-merchant" }, `${t("counter.merchant")}: ${o.seller}`),
    ...o.lines.map((l) => el("div", { class: "r-line", "data-outer-id": l.outer_id },
      el("span", {}, `${l.title} ${l.spec}`), el("span", {}, `${l.quantity} × ${money(l.unit_price)}`), el("span", {}, money(l.line_amount)))),
  ]);
  $("#receipt").replaceChildren(
    el("h2", {}, r.shop), el("div", {}, r.shop_address),
    el("div", {}, `${t("counter.receipt_no")}: `, el("span", { id: "receipt-number" }, r.number)),
    el("div", {}, time(r.created_at)), el("hr"), ...lines, el("hr"),
    el("div", { class: "r-line" }, el("span", {}, t("counter.discount")), el("span", {}, money(r.discount_amount))),
    el("div", { class: "r-line r-total" }, el("span", {}, t("counter.total")), el("span", { id: "receipt-total" }, money(r.total_amount))),
    el("div", {}, `${t("counter.paid_by")}: ${t(`counter.kind.${r.payment_kind}`)}`),
    el("p", { class: "r-thanks" }, t("counter.thanks")));
  $("#receipt-box").hidden = false;
  basket.clear();
  newKey();
  renderBasket();
  loadShelf();
  loadShift();
}

async function pay(kind, near) {
  const r = await guarded(() => api(`/shop-counter/shops/${shop.id}/sales`, { method: "POST", body: { idempotency_key: key, payment_kind: kind, items: items() } }), { near });
  if (r) showReceipt(r);
}

async function payQr(near) {
  const qr = await guarded(() => api(`/shop-counter/shops/${shop.id}/qr`, { method: "POST", body: { idempotency_key: key, items: items() } }), { near });
  if (!qr) return;
  $("#qr-box").hidden = false;
  $("#qr-link").href = qr.pay_url;
  $("#qr-box").dataset.qr = qr.id;
  $$pay().forEach((b) => { b.disabled = true; });
  clearInterval(polling);
  const since = Date.now();
  polling = setInterval(() => qrCheck(qr.id, Date.now() - since > QR_WAIT_MS), 2000);
}

async function qrSettled(qr) {
  if (qr.status === "pending") return;
  clearInterval(polling);
  $("#qr-box").hidden = true;
  newKey();
  if (qr.status === "paid") showReceipt(await api(`/shop-counter/receipts/${qr.receipt}`));
  else { toast(t(qr.status === "failed" ? "counter.qr_failed" : "counter.qr_closed"), { kind: "error", near: $("#pay-qr") }); renderBasket(); }
}

async function qrCheck(id, late) {
  const path = `/shop-counter/qr/${id}`;
  const qr = await (late ? api(`${path}/cancel`, { method: "POST" }) : api(path)).catch(() => null);
  if (qr) await qrSettled(qr);
}

async function scan(event) {
  event.preventDefault();
  const input = $("#scan");
  const code = input.value.trim();
  if (!code) return;
  const found = await guarded(() => api(`/shop-counter/shops/${shop.id}/shelf`, { query: { code }, fresh: true }), { near: input });
  if (found && found.length) { add(found[0], input); input.value = ""; }
  input.focus();
}

async function findReceipt(event) {
  event.preventDefault();
  const number = event.target.elements.number.value.trim();
  const r = await guarded(() => api(`/shop-counter/receipts/${encodeURIComponent(number)}`), { near: event.target });
  if (!r) return;
  const form = $("#return-form");
  form.dataset.number = r.number;
  $("#return-lines").replaceChildren(...r.orders.flatMap((o) => o.lines).map((l) => el("label", { class: "row" },
    el("span", {}, `${l.title} ${l.spec} · ${t("counter.returnable", { n: l.quantity - l.returned })}`),
    el("input", { type: "number", min: "0", max: String(l.quantity - l.returned), value: "0", "data-line": l.line_id, class: "qty", inputmode: "numeric" }))));
  form.hidden = false;
}

async function doReturn(event) {
  event.preventDefault();
  const form = event.target;
  const lines = [...form.querySelectorAll("input[data-line]")].map((i) => ({ line_id: Number(i.dataset.line), quantity: Number(i.value) })).filter((l) => l.quantity > 0);
  const done = await guarded(() => api(`/shop-counter/receipts/${form.dataset.number}/returns`, { method: "POST", body: { lines, reason: form.elements.reason.value } }), { near: form });
  if (!done) return;
  toast(t("counter.returned", { amount: money(done.amount) }), { near: form });
  form.hidden = true;
  loadShelf();
  loadShift();
}

async function closeShift(event) {
  event.preventDefault();
  const f = event.target;
  const body = { counted: { counter_cash: f.elements.counter_cash.value, counter_card: f.elements.counter_card.value, provider: f.elements.provider.value }, reason: f.elements.reason.value };
  const done = await guarded(() => api(`/shop-counter/shifts/${f.dataset.shift}/close`, { method: "POST", body }), { near: f });
  if (!done) return;
  $("#close-result").textContent = t("counter.closed", { difference: money(done.difference) });
  loadShift();
}

start(async () => {
  const shops = await guarded(() => api("/shop-counter/shops"));
  if (!shops || !shops.length) return;
  shop = shops[0];
  const pick = $("#shop-pick");
  pick.replaceChildren(...shops.map((s) => el("option", { value: s.id }, s.name)));
  pick.hidden = shops.length < 2;
  pick.addEventListener("change", async () => { shop = shops.find((s) => String(s.id) === pick.value); basket.clear(); await loadShift(); await loadShelf(); renderBasket(); });
  $("#shift-open-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const opened = await guarded(() => api(`/shop-counter/shops/${shop.id}/shifts`, { method: "POST", body: { opening_cash: event.target.elements.opening_cash.value || "0" } }), { near: event.target });
    if (opened) { await loadShift(); await loadShelf(); }
  });
  $("#scan-form").addEventListener("submit", scan);
  $("#pay-cash").addEventListener("click", (e) => pay("counter_cash", e.currentTarget));
  $("#pay-card").addEventListener("click", (e) => pay("counter_card", e.currentTarget));
  $("#pay-qr").addEventListener("click", (e) => payQr(e.currentTarget));
  $("#qr-cancel").addEventListener("click", async (e) => {
    const qr = await guarded(() => api(`/shop-counter/qr/${$("#qr-box").dataset.qr}/cancel`, { method: "POST" }), { near: e.currentTarget });
    if (qr) await qrSettled(qr);
  });
  $("#print-receipt").addEventListener("click", () => window.print());
  $("#next-sale").addEventListener("click", () => { $("#receipt-box").hidden = true; $("#scan").focus(); });
  $("#return-find").addEventListener("submit", findReceipt);
  $("#return-form").addEventListener("submit", doReturn);
  $("#close-form").addEventListener("submit", closeShift);
  try {
    if (await loadShift()) await loadShelf();
  } catch (err) { showError(err); }
  renderBasket();
});
