// The merchant's products (/merchant/products/): the list (#), a new product (#new) and one product
// (#product/ID) with its SKUs, images, status and stock. Modules live in js/merchant/.
import "app/strings/merchant-products.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";
import { setTitle, start } from "app/lib/shell.js";
import { ctx, loadContext } from "app/merchant/common.js";
import { initEditor, openEditor } from "app/merchant/editor.js";
import { initImages, showImages } from "app/merchant/images.js";
import { initList, renderList } from "app/merchant/list.js";
import { showStock } from "app/merchant/stock.js";

function showView(name) {
  $("#list-view").hidden = name !== "list";
  $("#editor-view").hidden = name !== "editor";
  document.body.dataset.view = name;
}

function stockChanged(sku) {
  const cell = document.querySelector(`#sku-table .sku-row[data-sku-id="${sku.id}"] .sku-stock`);
  if (cell) cell.textContent = String(sku.stock);
}

async function openProduct(product) {
  setTitle(product ? product.title : t("products.new"));
  await openEditor(product);
  showImages(product);
  showStock(product, stockChanged);
  document.body.dataset.productId = product ? String(product.id) : "";
}

async function route() {
  const match = location.hash.match(/^#product\/(\d+)$/);
  if (location.hash === "#new") {
    showView("editor");
    await openProduct(null);
  } else if (match) {
    showView("editor");
    const product = await guarded(() => api(`/catalog/products/${match[1]}`));
    if (product) await openProduct(product);
  } else {
    showView("list");
    setTitle(t("products.title"));
    await renderList();
  }
  window.scrollTo(0, 0);
}

start(async (me) => {
  const loaded = await guarded(() => loadContext(me).then(() => true));
  if (!loaded) return;
  initList();
  initImages();
  initEditor({
    saved: (product, created) => {
      if (created) location.hash = `#product/${product.id}`; // route() loads it
      else openProduct(product);
    },
  });
  $("#back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.seesAll = String(ctx.seesAll);
});
