// One order for the merchant: the detail (full phone), the packing list, and the actions
// its status allows: pack, ship (courier + waybill; the API's warnings are shown), mark
// delivered, approve or refuse a refund. Viewers who may not act get no buttons.
import "app/strings/merchant-orders.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { fillSelect } from "app/merchant/common.js";
import { orderDetail } from "app/orders/common.js";

const state = { couriers: [], canAct: false };

export function initDetail({ couriers, canAct }) {
  Object.assign(state, { couriers, canAct });
}

function moved(answer) {
  const order = answer.order || answer; // ship answers {order, warnings}
  const warnings = answer.warnings || [];
  render(order);
  $("#ship-warnings").replaceChildren(...warnings.map((w) => el("li", {}, w)));
  $("#ship-warnings").hidden = warnings.length === 0;
  toast(t("morders.done", { status: t(`order.status.${order.status}`) }), { near: $("#order-detail .order-head") });
  return order;
}

function post(order, path, { body, button, form } = {}) {
  const send = () => api(`/orders/seller/${order.id}/${path}`, { method: "POST", body });
  if (form) return submitForm(form, send).then((answer) => answer && moved(answer));
  return guarded(send, { near: button }).then((answer) => answer && moved(answer));
}

function shipForm(order) {
  const courier = el("select", { name: "courier_code", id: "ship-courier" });
  fillSelect(courier, state.couriers.map((c) => ({ id: c.code, name: c.name })), { blank: t("morders.choose_courier") });
  const form = el("form", { id: "ship-form", class: "ship-form", novalidate: true },
    el("label", {}, el("span", {}, t("morders.courier")), courier),
    el("label", {}, el("span", {}, t("morders.waybill")),
      el("input", { name: "waybill_no", id: "ship-waybill", maxlength: "40", autocomplete: "off",
        placeholder: t("morders.waybill_hint") })),
    el("button", { type: "submit", class: "accent", id: "ship-submit" }, t("morders.ship")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    post(order, "ship", { form, body: { courier_code: courier.value, waybill_no: form.elements.waybill_no.value.trim() } });
  });
  return form;
}

function rejectForm(order) {
  const form = el("form", { id: "refund-reject-form", class: "row wrap", novalidate: true },
    el("input", { name: "reason", id: "reject-reason", maxlength: "200",
      placeholder: t("morders.reject_reason"), "aria-label": t("morders.reject_reason") }),
    el("button", { type: "submit", id: "refund-reject" }, t("morders.refund_reject")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    post(order, "refund/reject", { form, body: { reason: form.elements.reason.value.trim() } });
  });
  return form;
}

// Approve the whole of what is left, or a part of it (an amount in yuan).
function approveForm(order) {
  const form = el("form", { id: "refund-approve-form", class: "row wrap", novalidate: true },
    el("input", { name: "amount", id: "refund-amount", inputmode: "decimal", maxlength: "12",
      placeholder: t("morders.refund_amount"), "aria-label": t("morders.refund_amount") }),
    el("button", { type: "submit", class: "accent", id: "refund-approve" }, t("morders.refund_approve")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const amount = form.elements.amount.value.trim();
    post(order, "refund/approve", { form, body: amount ? { amount } : {} });
  });
  return form;
}

function actionsFor(order) {
  const button = (id, label, path) => el("button", { type: "button", class: "accent", id,
    onclick: (event) => post(order, path, { button: event.currentTarget }) }, t(label));
  switch (order.status) {
    case "paid": return [button("pack-button", "morders.pack", "pack")];
    case "packed": return [shipForm(order)];
    case "shipped": return [button("deliver-button", "morders.deliver", "deliver")];
    case "refund_requested":
      return [approveForm(order), rejectForm(order)];
    default: return [];
  }
}

function render(order) {
  const card = orderDetail(order, { showSource: true });
  card.append(el("p", {}, el("a", { href: `/api/v1/orders/seller/${order.id}/packing-list`, target: "_blank",
    rel: "noopener", id: "packing-list" }, t("morders.packing_list"))));
  $("#order-detail").replaceChildren(card);
  const actions = state.canAct ? actionsFor(order) : [];
  $("#order-actions").replaceChildren(...actions);
  $("#order-actions").hidden = actions.length === 0;
}

// A marketplace order: its platform's side (remote status, the shipment pushed back or the
// platform's refusal, the after-sales opened there).
function marketplaceCard(fact) {
  return el("section", { class: "card marketplace", id: "marketplace", "data-push": fact.push_status },
    el("h3", {}, t("morders.marketplace", { platform: t(`morders.platform.${fact.platform}`), id: fact.remote_id })),
    el("p", { class: "muted" }, t("morders.remote_status", { status: fact.remote_status })),
    fact.status_unknown ? el("p", { class: "error-text" }, t("morders.status_unknown")) : null,
    fact.push_status !== "none"
      ? el("p", { id: "push-status", class: fact.push_status === "rejected" ? "error-text" : "muted" },
          t(`morders.push.${fact.push_status}`), fact.push_error ? ` ${fact.push_error}` : "")
      : null,
    fact.unmatched.length ? el("p", { class: "error-text" },
      t("morders.unmatched", { ids: fact.unmatched.map((l) => l.outer_id).join(", ") })) : null,
    fact.after_sales.length ? el("ul", { id: "after-sales" }, ...fact.after_sales.map((a) =>
      el("li", { "data-state": a.state }, `${t(`morders.after_sale.${a.state}`)} ${money(a.amount)}`,
        a.with_return ? ` · ${t("morders.with_return")}` : "", a.reason ? ` · ${a.reason}` : ""))) : null);
}

export async function showOrder(id) {
  $("#ship-warnings").hidden = true;
  const order = await guarded(() => api(`/orders/seller/${id}`));
  if (!order) return;
  render(order);
  if (order.source_kind === "store") {
    const fact = await api(`/stores/orders/${order.id}`).catch(() => null);
    if (fact) $("#order-detail").append(marketplaceCard(fact));
  }
}
