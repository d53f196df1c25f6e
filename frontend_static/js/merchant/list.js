// The product list: search box, filters, one row per product, paging (the kit's list).
import "app/strings/merchant-products.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { pagedList } from "app/lib/list.js";
import { ctx, fillSelect, PRODUCT_STATUSES, statusChip, townshipLabel } from "app/merchant/common.js";

let list = null;

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
      ctx.seesAll ? el("div", { class: "seller muted" }, t("merchant.seller_line", { name: p.seller_name })) : null),
    el("div", { class: "figures" },
      el("span", { class: "price" }, p.price_min == null ? t("format.none") : t("products.price_from", { price: money(p.price_min) })),
      el("span", { class: "stock", "data-stock": p.stock_total }, t("products.stock_total", { n: p.stock_total })),
      el("span", { class: "muted" }, t("products.sku_count", { n: p.sku_count }))));
}

export function renderList() {
  return list.render();
}

export function initList() {
  fillSelect($("#filter-status"),
    PRODUCT_STATUSES.map((s) => ({ id: s, name: t(`status.${s}`) })), { blank: t("products.all_statuses") });
  fillSelect($("#filter-category"), ctx.categories, { blank: t("products.all_categories") });
  fillSelect($("#filter-brand"), ctx.brands, { blank: t("products.all_brands") });
  fillSelect($("#filter-township"), ctx.townships, { blank: t("products.all_townships"), label: townshipLabel });
  list = pagedList({
    list: $("#product-list"),
    form: $("#filters"),
    load: (query) => api("/catalog/products", { query }),
    row: productRow,
    empty: t("products.empty"),
    summary: $("#list-summary"),
    summaryKey: "products.summary",
    pager: $("#pager"),
  });
}
