// The merchant's order list: filters (status, source, platform, store, township, dates,
// search), imported marketplace orders with their platform and remote id, masked
// phones as the API gives them, paging, and the Excel export of the same filters.
import "app/strings/merchant-orders.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money, time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { pagedList } from "app/lib/list.js";
import { fillSelect, townshipLabel } from "app/merchant/common.js";
import { ORDER_STATUSES, orderGoods, orderStatusChip, SOURCE_KINDS } from "app/orders/common.js";

let list = null;
const PLATFORMS = ["taobao", "pinduoduo", "jd"];

function row(o) {
  return el("li", { class: "order-row", "data-order-id": o.id, "data-status": o.status },
    el("a", { href: `#order/${o.id}`, class: "order-link" },
      el("span", { class: "order-head" }, el("span", { class: "order-number" }, o.number), orderStatusChip(o.status)),
      el("span", { class: "muted" }, [t(`order.source.${o.source_kind}`),
        o.platform && `${t(`morders.platform.${o.platform}`)} ${o.remote_id}`,
        o.seller_name, o.township_name].filter(Boolean).join(" · ")),
      o.status_unknown ? el("span", { class: "chip chip-warn order-unknown" }, t("morders.status_unknown")) : null,
      orderGoods(o),
      el("span", { class: "consignee" }, `${o.consignee_name} ${o.consignee_phone}`),
      el("span", { class: "figures" },
        el("span", { class: "price" }, money(o.paid_amount)),
        el("span", { class: "muted" }, time(o.created_at)))));
}

export function renderList() {
  return list.render();
}

export function initList(townships) {
  fillSelect($("#filter-status"),
    ORDER_STATUSES.map((s) => ({ id: s, name: t(`order.status.${s}`) })), { blank: t("morders.all_statuses") });
  fillSelect($("#filter-source"),
    SOURCE_KINDS.map((s) => ({ id: s, name: t(`order.source.${s}`) })), { blank: t("morders.all_sources") });
  fillSelect($("#filter-platform"),
    PLATFORMS.map((p) => ({ id: p, name: t(`morders.platform.${p}`) })), { blank: t("morders.all_platforms") });
  fillSelect($("#filter-store"), [], { blank: t("morders.all_stores") });
  api("/stores").then((stores) => fillSelect($("#filter-store"),
    stores.map((s) => ({ id: s.id, name: `${t(`morders.platform.${s.platform}`)} ${s.shop_name || s.shop_id}` })),
    { blank: t("morders.all_stores") })).catch(() => {});
  fillSelect($("#filter-township"), townships, { blank: t("morders.all_townships"), label: townshipLabel });
  list = pagedList({
    list: $("#order-list"),
    form: $("#filters"),
    load: (query) => api("/orders/seller", { query }),
    row,
    empty: t("morders.empty"),
    summary: $("#list-summary"),
    summaryKey: "morders.summary",
    pager: $("#pager"),
    onQuery: (filters) => { $("#export-link").href = `/api/v1/orders/seller/export.xlsx?${new URLSearchParams(filters)}`; },
  });
}
