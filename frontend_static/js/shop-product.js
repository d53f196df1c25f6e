// One product (/shop/product/?id=N): pictures, SKU choice with price, quantity, add to cart.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { money } from "app/orders/common.js";
import { cartAdd } from "app/shop/cart.js";
import { showCartCount } from "app/shop/common.js";

const $ = (id) => document.getElementById(id);
let product = null;
let chosen = null;

function choose(sku) {
  chosen = sku;
  document.querySelectorAll("#sku-options [data-sku-id]").forEach((b) =>
    b.setAttribute("aria-checked", String(Number(b.dataset.skuId) === sku.id)));
  $("product-price").replaceChildren(money(sku.price),
    sku.list_price ? el("s", { class: "muted list-price" }, t("shop.list_price", { price: money(sku.list_price) })) : "");
}

function skuButton(sku) {
  const out = sku.stock_state === "out";
  return el("button", { type: "button", role: "radio", "aria-checked": "false", class: "sku-option",
    "data-sku-id": sku.id, "data-stock": sku.stock_state, disabled: out, onclick: () => choose(sku) },
  el("span", {}, sku.spec_text), el("span", { class: "price" }, money(sku.price)),
  sku.stock_state !== "in_stock" ? el("span", { class: "muted stock-state" }, t(`shop.stock.${sku.stock_state}`)) : null);
}

function render() {
  document.title = `${product.title} · ${t("app.short")}`;
  $("product-images").replaceChildren(...(product.images.length
    ? product.images.map((url) => el("img", { src: url, alt: product.title }))
    : [el("span", { class: "placeholder" }, t("shop.no_image"))]));
  $("product-title").textContent = product.title;
  $("product-meta").textContent = [product.brand_name, t("shop.seller", { name: product.seller_name })]
    .filter(Boolean).join(" · ");
  $("sku-options").replaceChildren(...product.skus.map(skuButton));
  $("product-description").textContent = product.description;
  $("product-description").hidden = !product.description;
  const first = product.skus.find((s) => s.stock_state !== "out");
  if (first) choose(first);
  $("product").hidden = false;
}

function addChosen() {
  const status = $("cart-status");
  if (!chosen) { guarded(() => Promise.reject(new Error(t("shop.choose_first")))); return false; }
  const quantity = Math.max(1, Math.min(999, parseInt($("quantity").value, 10) || 1));
  cartAdd({ sku_id: chosen.id, product_id: product.id, title: product.title, spec_text: chosen.spec_text,
    price: chosen.price, seller_name: product.seller_name, image: product.images[0] || null }, quantity);
  showCartCount();
  status.textContent = t("shop.added");
  status.hidden = false;
  return true;
}

async function main() {
  await shell({ requireLogin: false });
  delete document.body.dataset.ready;
  showCartCount();
  const id = Number(new URLSearchParams(location.search).get("id"));
  product = await guarded(() => api(`/shop/products/${id}`));
  if (product) {
    render();
    $("add-to-cart").addEventListener("click", addChosen);
    $("buy-now").addEventListener("click", () => { if (addChosen()) location.href = "/shop/cart/"; });
  }
  document.body.dataset.ready = "1";
}

main();
