// The cart (/shop/cart/): the lines (an off-sale one is marked and named), the consignee,
// and the checkout. Browsing is anonymous; placing the order needs a login, and what was
// typed before the login is still there after it. The checkout's idempotency key is the
// cart's key. With a coupon chosen, the order goes through the promotions checkout (it
// prices the coupon and orders split it across the shops' orders).
import "app/strings/shop-cart.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { keepDraft, submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { toast } from "app/lib/notice.js";
import { loginUrl, setTitle, start } from "app/lib/shell.js";
import { cartClear, cartRemove, cartSetQuantity, cartTotal, loadCart } from "app/shop/cart.js";
import { quantityChanged, showCartCount } from "app/shop/common.js";

const CONSIGNEE = "qs.consignee"; // the last address used, to fill the form next time
const unavailable = new Set(); // sku ids no longer on sale
let me = null;
let draft = null;

function line(item) {
  const off = unavailable.has(item.sku_id);
  const qty = el("input", { type: "number", min: "1", max: "999", value: String(item.quantity),
    class: "qty", "aria-label": t("shop.quantity"), inputmode: "numeric",
    onchange: (event) => { cartSetQuantity(item.sku_id, quantityChanged(event.target)); render(); } });
  return el("li", { class: `cart-line${off ? " off-sale" : ""}`, "data-sku-id": item.sku_id, "data-available": String(!off) },
    item.image ? el("img", { src: item.image, alt: "", class: "thumb" }) : el("span", { class: "thumb placeholder" }),
    el("div", { class: "info" },
      el("a", { href: `/shop/product/?id=${item.product_id}`, class: "title" }, item.title),
      el("span", { class: "muted" }, item.spec_text),
      off ? el("span", { class: "error-text off-sale-note" }, t("cart.off_sale")) : el("span", { class: "price" }, money(item.price))),
    el("div", { class: "qty-box" }, off ? null : qty,
      el("button", { type: "button", class: "link remove", onclick: (event) => {
        cartRemove(item.sku_id);
        toast(t("cart.removed"), { near: event.currentTarget.closest(".cart-lines") });
        render();
      } }, t("cart.remove"))));
}

function render() {
  const { items } = loadCart();
  $("#cart-empty").hidden = items.length > 0;
  $("#cart-view").hidden = items.length === 0;
  $("#cart-lines").replaceChildren(...items.map(line));
  $("#cart-total").textContent = t("cart.total", { amount: money(cartTotal(items.filter((i) => !unavailable.has(i.sku_id)))) });
  showCartCount();
}

// Lines whose product or SKU is no longer on sale, asked of the storefront API.
async function checkAvailability() {
  const { items } = loadCart();
  const products = [...new Set(items.map((i) => i.product_id))];
  const answers = await Promise.all(products.map((id) => api(`/shop/products/${id}`, { fresh: true })
    .then((p) => ({ id, skus: p.skus.map((s) => s.id) }))
    .catch((err) => (err.status === 404 ? { id, skus: [] } : null)))); // unsure: leave it to checkout
  answers.filter(Boolean).forEach(({ id, skus }) => items
    .filter((i) => i.product_id === id && !skus.includes(i.sku_id))
    .forEach((i) => unavailable.add(i.sku_id)));
}

function offSaleTitles() {
  return loadCart().items.filter((i) => unavailable.has(i.sku_id)).map((i) => `${i.title} ${i.spec_text}`).join(t("cart.list_sep"));
}

function fillConsignee() {
  const form = $("#checkout-form");
  draft = keepDraft(form, "checkout");
  draft.restore();
  const saved = JSON.parse(localStorage.getItem(CONSIGNEE) || "null") || {};
  // A buyer who signed up by phone has a made-up user name: offer the phone, not the name.
  const named = me && me.display_name !== me.username ? me.display_name : "";
  const fill = (name, value) => { if (!form.elements[name].value && value) form.elements[name].value = value; };
  fill("name", saved.name || named);
  fill("phone", saved.phone || (me && me.phone));
  fill("address", saved.address);
}

// The buyer's claimed coupons, offered in a select when there are any.
async function loadCoupons() {
  const grants = await api("/promotions/my-coupons", { fresh: true }).catch(() => []);
  if (!grants.length) return;
  $("#coupon").replaceChildren(el("option", { value: "" }, t("cart.coupon_none")),
    ...grants.map((g) => el("option", { value: String(g.id) }, g.coupon.name)));
  $("#coupon-box").hidden = false;
}

function checkout(form, cart, consignee) {
  const grant = form.elements.coupon.value;
  const body = {
    idempotency_key: cart.key,
    items: cart.items.map((i) => ({ sku_id: i.sku_id, quantity: i.quantity })),
    consignee, remark: form.elements.remark.value.trim(),
    return_url: "/shop/orders/",
  };
  const placed = grant
    ? api("/promotions/checkouts", { method: "POST", body: { ...body, grant_ids: [Number(grant)] } })
    : api("/orders/checkouts", { method: "POST", body });
  return placed.catch((err) => {
    if (err.code === "order.sku_unavailable") {
      (err.extra.sku_ids || []).forEach((id) => unavailable.add(id));
      render();
      err.message = t("cart.off_sale_named", { titles: offSaleTitles() });
    }
    throw err;
  });
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  draft.save();
  if (!me) { location.href = loginUrl(); return; }
  if (unavailable.size) {
    toast(t("cart.off_sale_named", { titles: offSaleTitles() }), { kind: "error", near: $("#checkout-submit") });
    return;
  }
  const consignee = { name: form.elements.name.value.trim(), phone: form.elements.phone.value.trim(),
    address: form.elements.address.value.trim() };
  const placed = await submitForm(form, () => checkout(form, loadCart(), consignee));
  if (!placed) return;
  localStorage.setItem(CONSIGNEE, JSON.stringify(consignee));
  draft.clear();
  cartClear();
  location.href = placed.pay_url || "/shop/orders/";
}

start(async (user) => {
  me = user;
  setTitle(t("cart.title"));
  render();
  fillConsignee();
  $("#login-needed").hidden = Boolean(me);
  $("#checkout-form").addEventListener("submit", submit);
  if (me) await loadCoupons();
  if (loadCart().items.length) {
    await checkAvailability();
    render();
  }
}, { requireLogin: false });
