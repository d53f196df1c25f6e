// Shared by the buyer's and the merchant's order pages: status chips, the list card's
// first line (name and picture), and the order detail block (lines, consignee, courier and
// waybill with a copy button, timeline).
import "app/strings/orders.js";
import { copyButton } from "app/lib/copy.js";
import { el } from "app/lib/dom.js";
import { money, time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";

export const ORDER_STATUSES = ["created", "paid", "packed", "shipped", "delivered", "completed",
  "cancelled", "refund_requested", "refunded"];
export const SOURCE_KINDS = ["direct", "live", "store", "station_purchase", "station_consignment", "offline_shop"];

export function orderStatusChip(status) {
  return el("span", { class: `status order-status-${status}`, "data-status": status }, t(`order.status.${status}`));
}

// What a list card shows of the goods: the first line's picture and name ("… and n more").
export function orderGoods(o) {
  const picture = o.thumbnail_url
    ? el("img", { class: "thumb", src: o.thumbnail_url, alt: "", loading: "lazy" })
    : el("span", { class: "thumb placeholder", "aria-hidden": "true" });
  const name = o.item_count > 1 ? t("orders.first_item", { title: o.first_title, n: o.item_count }) : o.first_title;
  return el("span", { class: "order-goods" }, picture, el("span", { class: "goods-name" }, name));
}

// Unpaid orders say until when they can be paid.
export function expiryNote(order) {
  return order.status === "created" && order.expires_at
    ? el("span", { class: "expires", "data-expires": order.expires_at }, t("orders.expires", { time: time(order.expires_at) }))
    : null;
}

function field(label, value, id, ...after) {
  return el("div", { class: "field" }, el("dt", {}, label),
    el("dd", {}, el("span", id ? { id } : {}, value || t("format.none")), ...after));
}

function linesList(order) {
  return el("ul", { class: "order-lines" }, ...order.lines.map((line) =>
    el("li", { "data-sku-id": line.sku_id },
      el("span", { class: "line-title" }, line.title, el("span", { class: "muted" }, ` ${line.spec_text}`)),
      el("span", { class: "line-qty" }, t("orders.line", { price: money(line.unit_price), n: line.quantity })),
      el("span", { class: "line-amount" }, money(line.line_amount)))));
}

function timelineList(order) {
  return el("ol", { class: "timeline" }, ...order.timeline.map((step) =>
    el("li", {}, el("span", { class: "muted" }, time(step.at)), " ",
      t(`order.status.${step.to_status}`), step.note ? el("span", { class: "muted" }, t("orders.note", { note: step.note })) : null)));
}

// What went back: the refunds (several per order), each with its amount and state.
function refundsList(order) {
  const refunds = order.refunds || [];
  if (!refunds.length) return null;
  return el("section", { class: "refunds", id: "refunds", "data-refund-state": order.refund_state },
    el("h3", {}, t(`orders.refund_state.${order.refund_state}`, { amount: money(order.refunded_amount) })),
    el("ul", { class: "order-lines" }, ...refunds.map((r) =>
      el("li", { "data-refund": r.out_refund_no, "data-status": r.status },
        el("span", { class: "line-title" }, t(`orders.refund_by.${r.provider}`),
          el("span", { class: "muted" }, ` ${time(r.settled_at || r.created_at)}`)),
        el("span", { class: "line-qty" }, t(`orders.refund_status.${r.status}`)),
        el("span", { class: "line-amount" }, money(r.amount))))));
}

// The whole order as a card.
export function orderDetail(order, { showSource = false } = {}) {
  const shipping = order.waybill_no
    ? [field(t("orders.courier"), order.courier_name, "courier-name"),
       field(t("orders.waybill"), order.waybill_no, "waybill-no", " ", copyButton(order.waybill_no, { id: "copy-waybill" }))]
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
    expiryNote(order),
    el("h3", {}, t("orders.lines")),
    linesList(order),
    el("p", { class: "total" }, t("orders.paid_amount", { amount: money(order.paid_amount) })),
    ...refund,
    refundsList(order),
    el("dl", { class: "fields" },
      ...shipping,
      field(t("orders.consignee"), `${order.consignee_name} ${order.consignee_phone}`, "consignee"),
      field(t("orders.address"), [order.address, order.township_name, order.village_name].filter(Boolean).join(" · ")),
      order.remark ? field(t("orders.remark"), order.remark) : null,
      field(t("orders.created_at"), time(order.created_at))),
    el("h3", {}, t("orders.timeline")),
    timelineList(order));
}
