// The storefront (/shop/): on-sale products as a grid with search and category chips;
// anonymous visitors welcome.
import "app/strings/shop-grid.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { pagedList } from "app/lib/list.js";
import { guarded } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";
import { showCartCount } from "app/shop/common.js";

let categoryId = null;
let grid = null;

// Category chips: "all" plus every category with something on sale.
async function loadCategories() {
  const categories = await guarded(() => api("/shop/categories"));
  if (!categories) return;
  const bar = $("#shop-categories");
  const chip = (id, label) => el("button", {
    type: "button", class: "chip", "data-category-id": id ?? "",
    "aria-pressed": String(categoryId === id),
    onclick: () => { categoryId = id; renderChips(); grid.again(); },
  }, label);
  const renderChips = () => bar.replaceChildren(
    chip(null, t("shop.all_categories")), ...categories.map((c) => chip(c.id, c.name)));
  renderChips();
}

function card(p) {
  const picture = p.thumbnail_url
    ? el("img", { src: p.thumbnail_url, alt: "", loading: "lazy" })
    : el("span", { class: "placeholder" }, t("shop.no_image"));
  return el("li", { class: "shop-card", "data-product-id": p.id },
    el("a", { href: `/shop/product/?id=${p.id}` },
      el("div", { class: "picture" }, picture),
      el("span", { class: "title" }, p.title),
      el("span", { class: "price" }, p.price_min == null ? t("format.none") : t("shop.price_from", { price: money(p.price_min) })),
      el("span", { class: "muted seller" }, p.seller_name)));
}

start(async () => {
  showCartCount();
  grid = pagedList({
    list: $("#shop-grid"),
    form: $("#shop-search"),
    load: (query) => api("/shop/products", { query: { ...query, category_id: categoryId } }),
    row: card,
    empty: t("shop.empty"),
    more: $("#shop-more"),
  });
  await Promise.all([loadCategories(), grid.render()]);
}, { requireLogin: false });
