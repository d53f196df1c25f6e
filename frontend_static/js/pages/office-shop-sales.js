// The office's view (/office/shop-sales/): the specialty shop's sales of a day beside the
// online ones, by merchant and product.
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
    cell("sales.units", String(r.shop_units)), cell("sales.amount", money(r.shop_amount)),
    cell("sales.units", String(r.online_units)), cell("sales.amount", money(r.online_amount))))
    : [el("tr", {}, el("td", { colspan: 6, class: "muted empty" }, t("sales.empty")))]));
}

start(async () => {
  $("#day-form").elements.day.addEventListener("change", (event) => load(event.target.value));
  await load("");
});
