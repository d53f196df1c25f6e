// 我的订单 (/shop/orders/): the buyer's orders (#) and one order (#order/ID) with its waybill
// and the buyer's actions. Back from the cashier, the list follows the payment until the
// notify has arrived.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { fmtTime, money, orderDetail, orderStatusChip } from "app/orders/common.js";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 20;
const PAYABLE = ["created"];
const REFUNDABLE = ["paid", "packed", "shipped", "delivered"];
const RECEIVABLE = ["shipped", "delivered"];
let offset = 0;

function row(o) {
  return el("li", { class: "order-row", "data-order-id": o.id, "data-status": o.status },
    el("a", { href: `#order/${o.id}`, class: "order-link" },
      el("span", { class: "order-head" }, el("span", { class: "seller" }, o.seller_name), orderStatusChip(o.status)),
      el("span", { class: "muted" }, t("orders.number", { number: o.number })),
      el("span", { class: "figures" },
        el("span", {}, t("orders.items", { n: o.item_count })),
        el("span", { class: "price" }, t("orders.paid_amount", { amount: money(o.paid_amount) }))),
      o.waybill_no ? el("span", { class: "muted" }, `${t("orders.waybill")} ${o.waybill_no}`) : null,
      el("span", { class: "muted" }, fmtTime(o.created_at))));
}

async function renderList() {
  const page = await guarded(() => api("/orders/mine", { query: { limit: PAGE_SIZE, offset } }));
  if (!page) return null;
  $("order-list").replaceChildren(...(page.items.length
    ? page.items.map(row) : [el("li", { class: "empty muted" }, t("orders.empty"))]));
  $("page-prev").disabled = page.offset === 0;
  $("page-next").disabled = page.offset + page.items.length >= page.total;
  document.querySelector("#list-view .pager").hidden = page.total <= PAGE_SIZE;
  return page;
}

// Returned from the cashier (?payment_id=…): refresh while an order still waits for the notify.
async function followPayment(page) {
  if (!new URLSearchParams(location.search).get("payment_id")) return;
  const waiting = (p) => p && p.items.some((o) => PAYABLE.includes(o.status));
  const deadline = Date.now() + 30000;
  $("payment-wait").hidden = !waiting(page);
  while (waiting(page) && Date.now() < deadline && !$("list-view").hidden) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    page = await renderList();
  }
  $("payment-wait").hidden = true;
}

function act(order, path, body) {
  return guarded(async () => {
    await api(`/orders/mine/${order.id}/${path}`, { method: "POST", body });
    await showOrder(order.id);
  });
}

function refundForm(order) {
  const form = el("form", { id: "refund-form", class: "refund-form", hidden: true },
    el("label", {}, el("span", {}, t("orders.refund_reason")),
      el("input", { name: "reason", id: "refund-reason-input", maxlength: "200", required: true })),
    el("button", { type: "submit", class: "accent", id: "refund-submit" }, t("orders.refund_submit")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(order, "refund-request", { reason: form.elements.reason.value.trim() });
  });
  return form;
}

function actions(order) {
  const box = el("div", { class: "order-actions", id: "order-actions" });
  if (PAYABLE.includes(order.status)) {
    box.append(
      el("button", { type: "button", class: "accent", id: "pay-button", onclick: () => guarded(async () => {
        const checkout = await api(`/orders/checkouts/${order.checkout_id}/pay`, { method: "POST" });
        location.href = checkout.pay_url;
      }) }, t("orders.pay")),
      el("button", { type: "button", id: "cancel-button", onclick: () => {
        if (confirm(t("orders.confirm_cancel"))) act(order, "cancel");
      } }, t("orders.cancel")));
  }
  if (RECEIVABLE.includes(order.status)) {
    box.append(el("button", { type: "button", class: "accent", id: "confirm-receipt",
      onclick: () => act(order, "confirm-receipt") }, t("orders.confirm_receipt")));
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
  $("order-detail").replaceChildren(card);
}

async function route() {
  const match = location.hash.match(/^#order\/(\d+)$/);
  $("list-view").hidden = Boolean(match);
  $("detail-view").hidden = !match;
  if (match) await showOrder(match[1]);
  else followPayment(await renderList());
  window.scrollTo(0, 0);
}

async function main() {
  const me = await shell();
  if (!me) return;
  delete document.body.dataset.ready;
  $("page-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE_SIZE); renderList(); });
  $("page-next").addEventListener("click", () => { offset += PAGE_SIZE; renderList(); });
  $("back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "1";
}

main();
