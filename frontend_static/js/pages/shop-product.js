// One product in the storefront (/shop/product/?id=N): pictures, SKU choice with price,
// quantity and the buy buttons in a bar that stays on screen; what was added is said
// right above that bar.
import "app/strings/shop-product.js";
import { api } from "app/lib/api.js";
import { $, $$, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { showError, toast } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";
import { cartAdd, MAX_QUANTITY } from "app/shop/cart.js";
import { readQuantity, showCartCount } from "app/shop/common.js";

let product = null;
let chosen = null;

function choose(sku) {
  chosen = sku;
  $$("#sku-options [data-sku-id]").forEach((b) => b.setAttribute("aria-checked", String(Number(b.dataset.skuId) === sku.id)));
  $("#product-price").replaceChildren(money(sku.price),
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
  setTitle(product.title);
  $("#product-images").replaceChildren(...(product.images.length
    ? product.images.map((url) => el("img", { src: url, alt: product.title }))
    : [el("span", { class: "placeholder" }, t("shop.no_image"))]));
  $("#product-title").textContent = product.title;
  $("#product-meta").textContent = [product.brand_name, t("shop.seller", { name: product.seller_name })]
    .filter(Boolean).join(" · ");
  $("#sku-options").replaceChildren(...product.skus.map(skuButton));
  $("#product-description").textContent = product.description;
  $("#product-description").hidden = !product.description;
  renderVideos();
  const first = product.skus.find((s) => s.stock_state !== "out");
  if (first) choose(first);
  $("#product").hidden = false;
}

// The clips of the product's live explanations (shop.videos), each playable and downloadable.
function renderVideos() {
  const videos = product.videos || []; // a detail cached before videos existed has none
  $("#product-video-list").replaceChildren(...videos.map((v) => el("figure", { class: "product-video" },
    el("video", { src: v.url, controls: true, preload: "metadata", playsinline: true }),
    el("figcaption", {}, el("span", {}, v.title),
      el("a", { href: v.url, download: "", class: "download" }, t("shop.video_download"))))));
  $("#product-videos").hidden = !videos.length;
}

function addChosen(button) {
  if (!chosen) { toast(t("shop.choose_first"), { kind: "error", near: $("#sku-options") }); return false; }
  const { n: quantity, changed } = readQuantity($("#quantity"));
  cartAdd({ sku_id: chosen.id, product_id: product.id, title: product.title, spec_text: chosen.spec_text,
    price: chosen.price, seller_name: product.seller_name, image: product.images[0] || null }, quantity);
  showCartCount();
  toast(changed ? t("shop.added_clamped", { max: MAX_QUANTITY, n: quantity }) : t("shop.added"),
    { kind: changed ? "info" : "success", near: button });
  return true;
}

start(async () => {
  setTitle(t("shop.product"));
  showCartCount();
  const id = Number(new URLSearchParams(location.search).get("id"));
  try {
    product = await api(`/shop/products/${id}`);
  } catch (err) {
    if (err.status === 404) $("#product-missing").hidden = false;
    else showError(err);
    return;
  }
  render();
  $("#add-to-cart").addEventListener("click", (event) => addChosen(event.currentTarget));
  $("#buy-now").addEventListener("click", (event) => { if (addChosen(event.currentTarget)) location.href = "/shop/cart/"; });
}, { requireLogin: false });
