// 购物车 (/shop/cart/): the lines, the consignee, and the checkout. Browsing is anonymous;
// placing the order needs a login. The checkout's idempotency key is the cart's key.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { money } from "app/orders/common.js";
import { cartClear, cartRemove, cartSetQuantity, cartTotal, loadCart } from "app/shop/cart.js";

const $ = (id) => document.getElementById(id);
const CONSIGNEE = "qs.consignee"; // the last address used, to fill the form next time
let me = null;

function line(item) {
  const qty = el("input", { type: "number", min: "1", max: "999", value: String(item.quantity),
    class: "qty", "aria-label": t("shop.quantity"), inputmode: "numeric",
    onchange: (event) => {
      const n = Math.max(1, Math.min(999, parseInt(event.target.value, 10) || 1));
      cartSetQuantity(item.sku_id, n); render();
    } });
  return el("li", { class: "cart-line", "data-sku-id": item.sku_id },
    item.image ? el("img", { src: item.image, alt: "", class: "thumb" }) : el("span", { class: "thumb placeholder" }),
    el("div", { class: "info" },
      el("a", { href: `/shop/product/?id=${item.product_id}`, class: "title" }, item.title),
      el("span", { class: "muted" }, item.spec_text),
      el("span", { class: "price" }, money(item.price))),
    el("div", { class: "qty-box" }, qty,
      el("button", { type: "button", class: "link remove", onclick: () => { cartRemove(item.sku_id); render(); } }, t("cart.remove"))));
}

function render() {
  const { items } = loadCart();
  $("cart-empty").hidden = items.length > 0;
  $("cart-view").hidden = items.length === 0;
  $("cart-lines").replaceChildren(...items.map(line));
  $("cart-total").textContent = t("cart.total", { amount: money(cartTotal(items)) });
}

function fillConsignee() {
  const saved = JSON.parse(localStorage.getItem(CONSIGNEE) || "null") || {};
  const form = $("checkout-form");
  form.elements.name.value = saved.name || me?.display_name || "";
  form.elements.phone.value = saved.phone || "";
  form.elements.address.value = saved.address || "";
}

async function submit(event) {
  event.preventDefault();
  if (!me) { location.href = `/login/?next=${encodeURIComponent("/shop/cart/")}`; return; }
  const form = event.target;
  const consignee = { name: form.elements.name.value.trim(), phone: form.elements.phone.value.trim(),
    address: form.elements.address.value.trim() };
  const cart = loadCart();
  const button = $("checkout-submit");
  button.disabled = true;
  const checkout = await guarded(() => api("/orders/checkouts", { method: "POST", body: {
    idempotency_key: cart.key,
    items: cart.items.map((i) => ({ sku_id: i.sku_id, quantity: i.quantity })),
    consignee, remark: form.elements.remark.value.trim(),
    return_url: `${location.origin}/shop/orders/`,
  } }));
  button.disabled = false;
  if (!checkout) return;
  localStorage.setItem(CONSIGNEE, JSON.stringify(consignee));
  cartClear();
  location.href = checkout.pay_url || "/shop/orders/";
}

async function main() {
  me = await shell({ requireLogin: false });
  delete document.body.dataset.ready;
  render();
  fillConsignee();
  $("login-needed").hidden = Boolean(me);
  $("checkout-form").addEventListener("submit", submit);
  document.body.dataset.ready = "1";
}

main();
