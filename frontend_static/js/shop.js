// 沁水好物 (/shop/): on-sale products as a grid with search; anonymous visitors welcome.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { money } from "app/orders/common.js";
import { showCartCount } from "app/shop/common.js";

const PAGE_SIZE = 20;
let offset = 0;
let categoryId = null;

// Category chips: 全部 plus every category with something on sale.
async function loadCategories() {
  const categories = await guarded(() => api("/shop/categories"));
  if (!categories) return;
  const bar = document.getElementById("shop-categories");
  const chip = (id, label) => el("button", {
    type: "button", class: "chip", "data-category-id": id ?? "",
    "aria-pressed": String(categoryId === id),
    onclick: () => { categoryId = id; offset = 0; renderChips(); load(); },
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
      el("span", { class: "price" }, p.price_min == null ? "—" : t("shop.price_from", { price: money(p.price_min) })),
      el("span", { class: "muted seller" }, p.seller_name)));
}

async function load({ append = false } = {}) {
  const q = document.getElementById("shop-q").value.trim();
  const page = await guarded(() => api("/shop/products", { query: { limit: PAGE_SIZE, offset, q: q || null, category_id: categoryId } }));
  if (!page) return;
  const grid = document.getElementById("shop-grid");
  const cards = page.items.map(card);
  if (append) grid.append(...cards);
  else grid.replaceChildren(...(cards.length ? cards : [el("li", { class: "empty muted" }, t("shop.empty"))]));
  document.getElementById("shop-more").hidden = page.offset + page.items.length >= page.total;
}

async function main() {
  await shell({ requireLogin: false });
  delete document.body.dataset.ready;
  showCartCount();
  document.getElementById("shop-search").addEventListener("submit", (event) => {
    event.preventDefault(); offset = 0; load();
  });
  document.getElementById("shop-more").addEventListener("click", () => { offset += PAGE_SIZE; load({ append: true }); });
  await Promise.all([loadCategories(), load()]);
  document.body.dataset.ready = "1";
}

main();
