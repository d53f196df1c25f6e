// Shared by the buyer's and the merchant's order pages: status chips, money, and the order
// detail block (lines, consignee, courier and waybill, timeline).
import { t } from "app/i18n.js";
import { el } from "app/shell.js";

export const ORDER_STATUSES = ["created", "paid", "packed", "shipped", "delivered", "completed",
  "cancelled", "refund_requested", "refunded"];
export const SOURCE_KINDS = ["direct", "live", "store", "station_purchase", "station_consignment", "offline_shop"];

export function money(value) {
  return value == null ? "—" : `¥${value}`;
}

export function fmtTime(iso) {
  return iso ? new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "—";
}

export function orderStatusChip(status) {
  return el("span", { class: `status order-status-${status}`, "data-status": status }, t(`order.status.${status}`));
}

function field(label, value, id) {
  return el("div", { class: "field" }, el("dt", {}, label), el("dd", id ? { id } : {}, value || "—"));
}

function linesList(order) {
  return el("ul", { class: "order-lines" }, ...order.lines.map((line) =>
    el("li", { "data-sku-id": line.sku_id },
      el("span", { class: "line-title" }, line.title, el("span", { class: "muted" }, ` ${line.spec_text}`)),
      el("span", { class: "line-qty" }, `${money(line.unit_price)} × ${line.quantity}`),
      el("span", { class: "line-amount" }, money(line.line_amount)))));
}

function timelineList(order) {
  return el("ol", { class: "timeline" }, ...order.timeline.map((step) =>
    el("li", {}, el("span", { class: "muted" }, fmtTime(step.at)), " ",
      t(`order.status.${step.to_status}`), step.note ? el("span", { class: "muted" }, `（${step.note}）`) : null)));
}

// The whole order as a card; `extra` nodes (actions) go at the bottom.
export function orderDetail(order, { showSource = false } = {}) {
  const shipping = order.waybill_no
    ? [field(t("orders.courier"), order.courier_name, "courier-name"),
       field(t("orders.waybill"), order.waybill_no, "waybill-no")]
    : [];
  const refund = [
    order.refund_reason ? el("p", { class: "muted", id: "refund-reason" }, t("orders.refund_asked", { reason: order.refund_reason })) : null,
    order.refund_reject_reason ? el("p", { class: "error", id: "refund-rejected" }, t("orders.refund_rejected", { reason: order.refund_reject_reason })) : null,
  ];
  return el("article", { class: "card order-card", "data-order-id": order.id, "data-status": order.status },
    el("header", { class: "order-head" },
      el("span", { class: "order-number" }, t("orders.number", { number: order.number })),
      orderStatusChip(order.status)),
    el("p", { class: "muted" }, order.seller_name,
      showSource ? ` · ${t(`order.source.${order.source_kind}`)}` : null),
    el("h3", {}, t("orders.lines")),
    linesList(order),
    el("p", { class: "total" }, t("orders.paid_amount", { amount: money(order.paid_amount) })),
    ...refund,
    el("dl", { class: "fields" },
      ...shipping,
      field(t("orders.consignee"), `${order.consignee_name} ${order.consignee_phone}`, "consignee"),
      field(t("orders.address"), [order.address, order.township_name, order.village_name].filter(Boolean).join(" · ")),
      order.remark ? field(t("orders.remark"), order.remark) : null,
      field(t("orders.created_at"), fmtTime(order.created_at))),
    el("h3", {}, t("orders.timeline")),
    timelineList(order));
}
