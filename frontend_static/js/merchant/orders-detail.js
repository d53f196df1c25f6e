// One order for the merchant: the detail (full phone), the packing list, and the actions
// its status allows: pack, ship (courier + waybill; the API's warnings are shown), mark
// delivered, approve or refuse a refund. Viewers who may not act get no buttons.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el } from "app/shell.js";
import { fillSelect } from "app/merchant/common.js";
import { orderDetail } from "app/orders/common.js";

const $ = (id) => document.getElementById(id);
const state = { couriers: [], canAct: false };

export function initDetail({ couriers, canAct }) {
  Object.assign(state, { couriers, canAct });
}

function announce(order, warnings = []) {
  $("action-status").textContent = t("morders.done", { status: t(`order.status.${order.status}`) });
  $("action-status").hidden = false;
  $("ship-warnings").replaceChildren(...warnings.map((w) => el("li", {}, w)));
  $("ship-warnings").hidden = warnings.length === 0;
}

function post(order, path, body) {
  return guarded(async () => {
    const answer = await api(`/orders/seller/${order.id}/${path}`, { method: "POST", body });
    const moved = answer.order || answer; // ship answers {order, warnings}
    render(moved);
    announce(moved, answer.warnings || []);
  });
}

function shipForm(order) {
  const courier = el("select", { name: "courier_code", id: "ship-courier", required: true });
  fillSelect(courier, state.couriers.map((c) => ({ id: c.code, name: c.name })), { blank: t("morders.choose_courier") });
  const form = el("form", { id: "ship-form", class: "ship-form" },
    el("label", {}, el("span", {}, t("morders.courier")), courier),
    el("label", {}, el("span", {}, t("morders.waybill")),
      el("input", { name: "waybill_no", id: "ship-waybill", maxlength: "40", required: true, autocomplete: "off" })),
    el("button", { type: "submit", class: "accent", id: "ship-submit" }, t("morders.ship")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    post(order, "ship", { courier_code: courier.value, waybill_no: form.elements.waybill_no.value.trim() });
  });
  return form;
}

function rejectForm(order) {
  const form = el("form", { id: "refund-reject-form", class: "row wrap" },
    el("input", { name: "reason", id: "reject-reason", maxlength: "200", required: true,
      placeholder: t("morders.reject_reason"), "aria-label": t("morders.reject_reason") }),
    el("button", { type: "submit", id: "refund-reject" }, t("morders.refund_reject")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    post(order, "refund/reject", { reason: form.elements.reason.value.trim() });
  });
  return form;
}

function actionsFor(order) {
  const button = (id, label, path) =>
    el("button", { type: "button", class: "accent", id, onclick: () => post(order, path) }, t(label));
  switch (order.status) {
    case "paid": return [button("pack-button", "morders.pack", "pack")];
    case "packed": return [shipForm(order)];
    case "shipped": return [button("deliver-button", "morders.deliver", "deliver")];
    case "refund_requested":
      return [button("refund-approve", "morders.refund_approve", "refund/approve"), rejectForm(order)];
    default: return [];
  }
}

function render(order) {
  const card = orderDetail(order, { showSource: true });
  card.append(el("p", {}, el("a", { href: `/api/v1/orders/seller/${order.id}/packing-list`, target: "_blank",
    rel: "noopener", id: "packing-list" }, t("morders.packing_list"))));
  $("order-detail").replaceChildren(card);
  const actions = state.canAct ? actionsFor(order) : [];
  $("order-actions").replaceChildren(...actions);
  $("order-actions").hidden = actions.length === 0;
}

export async function showOrder(id) {
  $("action-status").hidden = true;
  $("ship-warnings").hidden = true;
  const order = await guarded(() => api(`/orders/seller/${id}`));
  if (order) render(order);
}
