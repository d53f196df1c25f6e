// 沁水好物 (/shop/): on-sale products as a grid with search; anonymous visitors welcome.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el, shell } from "app/shell.js";
import { money } from "app/orders/common.js";
import { showCartCount } from "app/shop/common.js";

const PAGE_SIZE = 20;
let offset = 0;

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
  const page = await guarded(() => api("/shop/products", { query: { limit: PAGE_SIZE, offset, q: q || null } }));
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
  await load();
  document.body.dataset.ready = "1";
}

main();
