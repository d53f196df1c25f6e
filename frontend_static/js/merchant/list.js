// The product list: search box, filters, one row per product, paging.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el } from "app/shell.js";
import { ctx, fillSelect, money, PRODUCT_STATUSES, statusChip, townshipLabel } from "app/merchant/common.js";

const PAGE_SIZE = 20;
let offset = 0;

function filterQuery() {
  const form = document.getElementById("filters");
  const query = { limit: PAGE_SIZE, offset };
  ["q", "status", "category_id", "brand_id", "township_id"].forEach((name) => {
    const value = form.elements[name].value.trim();
    if (value) query[name] = value;
  });
  return query;
}

function productRow(p) {
  const thumb = p.main_image_url
    ? el("img", { class: "thumb", src: p.main_image_url, alt: "", loading: "lazy" })
    : el("span", { class: "thumb placeholder" }, t("products.no_image"));
  const meta = el("div", { class: "meta" }, statusChip(p.status),
    el("span", { class: "muted" }, [p.category_name, p.brand_name].filter(Boolean).join(" · ")),
    p.is_supply_chain ? el("span", { class: "tag" }, t("product.supply_chain")) : null);
  return el("li", { class: "product-row", "data-product-id": p.id },
    thumb,
    el("div", { class: "info" },
      el("a", { class: "title", href: `#product/${p.id}` }, p.title),
      meta,
      ctx.seesAll ? el("div", { class: "seller muted" }, `${t("product.seller")}：${p.seller_name}`) : null),
    el("div", { class: "figures" },
      el("span", { class: "price" }, p.price_min == null ? "—" : t("products.price_from", { price: money(p.price_min) })),
      el("span", { class: "stock", "data-stock": p.stock_total }, t("products.stock_total", { n: p.stock_total })),
      el("span", { class: "muted" }, t("products.sku_count", { n: p.sku_count }))));
}

export async function renderList() {
  const page = await guarded(() => api("/catalog/products", { query: filterQuery() }));
  if (!page) return;
  const list = document.getElementById("product-list");
  list.replaceChildren(...(page.items.length
    ? page.items.map(productRow)
    : [el("li", { class: "empty muted" }, t("products.empty"))]));
  const last = Math.min(page.offset + page.items.length, page.total);
  document.getElementById("list-summary").textContent = page.total
    ? t("products.summary", { total: page.total, from: page.offset + 1, to: last })
    : "";
  document.getElementById("page-prev").disabled = page.offset === 0;
  document.getElementById("page-next").disabled = last >= page.total;
}

export function initList() {
  fillSelect(document.getElementById("filter-status"),
    PRODUCT_STATUSES.map((s) => ({ id: s, name: t(`status.${s}`) })), { blank: t("products.all_statuses") });
  fillSelect(document.getElementById("filter-category"), ctx.categories, { blank: t("products.all_categories") });
  fillSelect(document.getElementById("filter-brand"), ctx.brands, { blank: t("products.all_brands") });
  fillSelect(document.getElementById("filter-township"), ctx.townships,
    { blank: t("products.all_townships"), label: townshipLabel });
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => { event.preventDefault(); offset = 0; renderList(); });
  form.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => { offset = 0; renderList(); }));
  document.getElementById("page-prev").addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE_SIZE); renderList();
  });
  document.getElementById("page-next").addEventListener("click", () => { offset += PAGE_SIZE; renderList(); });
}
