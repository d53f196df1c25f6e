// The office's view (/office/shop-sales/): the specialty shop's sales of a day beside the
// online ones, by merchant and product; consignment settlements per merchant and period,
// each with its xlsx statement.
import "app/strings/shop-counter.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";

const cell = (key, text) => el("td", { "data-label": t(key) }, text);

async function load(day) {
  const view = await guarded(() => api("/shop-counter/office/daily", { query: { day } }));
  if (!view) return;
  $("#day-form").elements.day.value = view.date;
  $("#sales-summary").textContent = t("sales.summary", { shop: money(view.shop_amount), online: money(view.online_amount) });
  $("#sales-table tbody").replaceChildren(...(view.rows.length ? view.rows.map((r) => el("tr", { "data-product": r.product_id },
    cell("counter.merchant", r.seller), cell("sales.product", r.title),
    cell("sales.shop_units", String(r.shop_units)), cell("sales.shop_amount", money(r.shop_amount)),
    cell("sales.online_units", String(r.online_units)), cell("sales.online_amount", money(r.online_amount))))
    : [el("tr", {}, el("td", { colspan: 6, class: "muted empty" }, t("sales.empty")))]));
}

function settlementItem(s) {
  return el("li", { "data-settlement": s.id },
    el("span", {}, t("settle.line", { seller: s.seller, start: s.period_start, end: s.period_end, sold: s.units_sold,
      returned: s.units_returned, sales: money(s.sales_amount), refunds: money(s.refunds_amount),
      commission: money(s.commission_amount), owed: money(s.owed_amount) })), " ",
    el("a", { href: `/api/v1/shop-counter/settlements/${s.id}/statement.xlsx` }, t("settle.xlsx")));
}

async function loadSettlements(shopId) {
  const form = $("#settle-form");
  const [merchants, done] = await Promise.all([api(`/shop-counter/shops/${shopId}/merchants`), api(`/shop-counter/shops/${shopId}/settlements`)]);
  form.elements.seller_id.replaceChildren(...merchants.map((m) => el("option", { value: m.id }, m.name)));
  $("#settlements").replaceChildren(...(done.length ? done.map(settlementItem) : [el("li", { class: "muted" }, t("settle.none"))]));
}

async function startSettling() {
  const shops = await guarded(() => api("/shop-counter/shops"));
  if (!shops || !shops.length) { $("#settle").hidden = true; return; }
  const form = $("#settle-form");
  form.elements.shop.replaceChildren(...shops.map((s) => el("option", { value: s.id }, s.name)));
  form.elements.shop.hidden = shops.length < 2;
  form.elements.shop.addEventListener("change", () => guarded(() => loadSettlements(form.elements.shop.value)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    const body = { seller_id: Number(f.elements.seller_id.value), period_start: f.elements.period_start.value, period_end: f.elements.period_end.value };
    const made = await guarded(() => api(`/shop-counter/shops/${f.elements.shop.value}/settlements`, { method: "POST", body }), { near: f });
    if (made) await guarded(() => loadSettlements(f.elements.shop.value));
  });
  await guarded(() => loadSettlements(shops[0].id));
}

start(async () => {
  $("#day-form").elements.day.addEventListener("change", (event) => load(event.target.value));
  await load("");
  await startSettling();
});
