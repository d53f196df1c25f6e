// The buyer's orders (/shop/orders/): the list (#) and one order (#order/ID) with its
// waybill and the buyer's actions. Back from the cashier (?payment_id=&out_trade_no=&result=)
// the page follows that checkout's orders until the payment notice has arrived and says
// how it went.
import "app/strings/shop.js";
import "app/strings/shop-orders.js";
import { api } from "app/lib/api.js";
import { confirmDialog } from "app/lib/confirm.js";
import { $, el } from "app/lib/dom.js";
import { money, time } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { pagedList } from "app/lib/list.js";
import { guarded, toast } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";
import { expiryNote, orderDetail, orderGoods, orderStatusChip } from "app/orders/common.js";

const PAYABLE = ["created"];
const REFUNDABLE = ["paid", "packed", "shipped", "delivered"];
const RECEIVABLE = ["shipped", "delivered"];
const FOLLOW_MS = 30000;
let list = null;

function row(o) {
  return el("li", { class: "order-row", "data-order-id": o.id, "data-status": o.status },
    el("a", { href: `#order/${o.id}`, class: "order-link" },
      el("span", { class: "order-head" }, el("span", { class: "seller" }, o.seller_name), orderStatusChip(o.status)),
      orderGoods(o),
      el("span", { class: "figures" },
        el("span", { class: "price" }, t("orders.paid_amount", { amount: money(o.paid_amount) })),
        el("span", { class: "muted" }, time(o.created_at))),
      expiryNote(o),
      o.waybill_no ? el("span", { class: "muted" }, `${t("orders.waybill")} ${o.waybill_no}`) : null,
      el("span", { class: "muted" }, t("orders.number", { number: o.number }))));
}

function paymentResult(kind, text) {
  const box = $("#payment-result");
  box.dataset.result = kind;
  box.className = kind === "cancelled" ? "notice warn" : "notice";
  box.textContent = text;
  box.hidden = false;
}

// Back from the cashier: cancelled says so at once; paid waits for the notify (the
// checkout's orders leave "created") and then says it plainly.
async function followPayment(page) {
  const query = new URLSearchParams(location.search);
  if (!query.get("payment_id")) return;
  if (query.get("result") === "cancelled") { paymentResult("cancelled", t("orders.pay_cancelled")); return; }
  const checkout = query.get("out_trade_no");
  const waiting = (p) => p && p.items.some((o) => o.checkout_number === checkout && PAYABLE.includes(o.status));
  const deadline = Date.now() + FOLLOW_MS;
  if (waiting(page)) paymentResult("waiting", t("orders.waiting_payment"));
  while (waiting(page) && Date.now() < deadline && !$("#list-view").hidden) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    page = await list.render();
  }
  if (page && !waiting(page)) paymentResult("paid", t("orders.paid_ok"));
  history.replaceState(null, "", location.pathname + location.hash); // a reload asks no more
}

function act(order, path, { body, button, form, done }) {
  const send = () => api(`/orders/mine/${order.id}/${path}`, { method: "POST", body });
  const sent = form ? submitForm(form, send) : guarded(send, { near: button });
  return sent.then(async (answer) => {
    if (!answer) return;
    await showOrder(order.id);
    toast(t(done), { near: $("#order-detail .order-head") });
  });
}

function refundForm(order) {
  const form = el("form", { id: "refund-form", class: "refund-form", hidden: true, novalidate: true },
    el("label", {}, el("span", {}, t("orders.refund_reason")),
      el("input", { name: "reason", id: "refund-reason-input", maxlength: "200" })),
    el("button", { type: "submit", class: "accent", id: "refund-submit" }, t("orders.refund_submit")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(order, "refund-request", { form, body: { reason: form.elements.reason.value.trim() }, done: "orders.refund_sent" });
  });
  return form;
}

function actions(order) {
  const box = el("div", { class: "order-actions", id: "order-actions" });
  if (PAYABLE.includes(order.status)) {
    box.append(
      el("button", { type: "button", class: "accent", id: "pay-button", onclick: (event) => guarded(async () => {
        const checkout = await api(`/orders/checkouts/${order.checkout_id}/pay`, { method: "POST" });
        location.href = checkout.pay_url;
      }, { near: event.currentTarget }) }, t("orders.pay")),
      el("button", { type: "button", id: "cancel-button", onclick: async (event) => {
        const button = event.currentTarget;
        if (await confirmDialog(t("orders.confirm_cancel"), { ok: t("orders.cancel"), cancel: t("orders.keep"), danger: true })) {
          act(order, "cancel", { button, done: "orders.cancelled_now" });
        }
      } }, t("orders.cancel")));
  }
  if (RECEIVABLE.includes(order.status)) {
    box.append(el("button", { type: "button", class: "accent", id: "confirm-receipt",
      onclick: (event) => act(order, "confirm-receipt", { button: event.currentTarget, done: "orders.received_now" }) },
    t("orders.confirm_receipt")));
  }
  if (REFUNDABLE.includes(order.status)) {
    const form = refundForm(order);
    box.append(el("button", { type: "button", id: "refund-button",
      onclick: () => { form.hidden = false; form.elements.reason.focus(); } }, t("orders.refund")), form);
  }
  return box.childElementCount ? box : null;
}

async function showOrder(id) {
  const order = await guarded(() => api(`/orders/mine/${id}`));
  if (!order) return;
  const card = orderDetail(order);
  const buttons = actions(order);
  if (buttons) card.append(buttons);
  $("#order-detail").replaceChildren(card);
}

async function route() {
  const match = location.hash.match(/^#order\/(\d+)$/);
  $("#list-view").hidden = Boolean(match);
  $("#detail-view").hidden = !match;
  if (match) await showOrder(match[1]);
  else followPayment(await list.render());
  window.scrollTo(0, 0);
}

start(async () => {
  list = pagedList({
    list: $("#order-list"),
    load: (query) => api("/orders/mine", { query }),
    row,
    empty: t("orders.empty"),
    pager: $("#pager"),
  });
  $("#back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
});
