// The merchant's order list: filters (status, source, township, dates, search), masked
// phones as the API gives them, paging, and the Excel export of the same filters.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el } from "app/shell.js";
import { fillSelect, townshipLabel } from "app/merchant/common.js";
import { fmtTime, money, ORDER_STATUSES, orderStatusChip, SOURCE_KINDS } from "app/orders/common.js";

const PAGE_SIZE = 20;
const FILTERS = ["q", "status", "source_kind", "township_id", "date_from", "date_to"];
let offset = 0;

function filterValues() {
  const form = document.getElementById("filters");
  const values = {};
  FILTERS.forEach((name) => {
    const value = form.elements[name].value.trim();
    if (value) values[name] = value;
  });
  return values;
}

function row(o) {
  return el("li", { class: "order-row", "data-order-id": o.id, "data-status": o.status },
    el("a", { href: `#order/${o.id}`, class: "order-link" },
      el("span", { class: "order-head" }, el("span", { class: "order-number" }, o.number), orderStatusChip(o.status)),
      el("span", { class: "muted" }, [t(`order.source.${o.source_kind}`), o.seller_name, o.township_name].filter(Boolean).join(" · ")),
      el("span", { class: "consignee" }, `${o.consignee_name} ${o.consignee_phone}`),
      el("span", { class: "figures" },
        el("span", {}, t("orders.items", { n: o.item_count })),
        el("span", { class: "price" }, money(o.paid_amount)),
        el("span", { class: "muted" }, fmtTime(o.created_at)))));
}

export async function renderList() {
  const filters = filterValues();
  document.getElementById("export-link").href =
    `/api/v1/orders/seller/export.xlsx?${new URLSearchParams(filters)}`;
  const page = await guarded(() => api("/orders/seller", { query: { ...filters, limit: PAGE_SIZE, offset } }));
  if (!page) return;
  document.getElementById("order-list").replaceChildren(...(page.items.length
    ? page.items.map(row) : [el("li", { class: "empty muted" }, t("morders.empty"))]));
  const last = Math.min(page.offset + page.items.length, page.total);
  document.getElementById("list-summary").textContent = page.total
    ? t("morders.summary", { total: page.total, from: page.offset + 1, to: last }) : "";
  document.getElementById("page-prev").disabled = page.offset === 0;
  document.getElementById("page-next").disabled = last >= page.total;
}

export function initList(townships) {
  fillSelect(document.getElementById("filter-status"),
    ORDER_STATUSES.map((s) => ({ id: s, name: t(`order.status.${s}`) })), { blank: t("morders.all_statuses") });
  fillSelect(document.getElementById("filter-source"),
    SOURCE_KINDS.map((s) => ({ id: s, name: t(`order.source.${s}`) })), { blank: t("morders.all_sources") });
  fillSelect(document.getElementById("filter-township"), townships,
    { blank: t("morders.all_townships"), label: townshipLabel });
  const form = document.getElementById("filters");
  const again = () => { offset = 0; renderList(); };
  form.addEventListener("submit", (event) => { event.preventDefault(); again(); });
  form.querySelectorAll("select, input[type=date]").forEach((s) => s.addEventListener("change", again));
  document.getElementById("page-prev").addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE_SIZE); renderList();
  });
  document.getElementById("page-next").addEventListener("click", () => { offset += PAGE_SIZE; renderList(); });
}
