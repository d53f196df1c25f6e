// Create and edit one product: the product form, its SKU table, save, and the status actions.
import "app/strings/merchant-products.js";
import { api } from "app/lib/api.js";
import { $, $$, el } from "app/lib/dom.js";
import { clearFieldErrors, fieldsUnder, submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { ctx, fillSelect, idOrNull, statusChip, townshipLabel } from "app/merchant/common.js";

let current = null; // the product being edited (null while creating)
let onSaved = () => {};

// ---- SKU table ------------------------------------------------------------------------

function cell(labelKey, ...children) {
  return el("td", { "data-label": t(labelKey) }, ...children);
}

function skuRow(sku = null) {
  const standard = el("select", { name: "packaging_standard_id", "aria-label": t("sku.standard") });
  fillSelect(standard, ctx.standards, {
    blank: t("format.none"), value: sku && sku.packaging_standard_id, label: (s) => `${s.grade} · ${s.name}`,
  });
  const input = (name, key, attrs = {}) => el("input", { name, "aria-label": t(key), ...attrs });
  const row = el("tr", { class: "sku-row", "data-sku-id": sku && sku.id },
    cell("sku.spec", input("spec_text", "sku.spec", { maxlength: 120, placeholder: t("sku.spec_hint") })),
    cell("sku.price", input("price", "sku.price", { inputmode: "decimal", placeholder: "0.00" })),
    cell("sku.list_price", input("list_price", "sku.list_price", { inputmode: "decimal" })),
    cell("sku.stock", sku
      ? el("span", { class: "sku-stock", title: t("sku.stock_readonly") }, String(sku.stock))
      : input("stock", "sku.stock", { type: "number", min: 0, step: 1, value: 0 })),
    cell("sku.weight", input("weight_grams", "sku.weight", { type: "number", min: 1, step: 1 })),
    cell("sku.outer_id", input("outer_id", "sku.outer_id", { maxlength: 64, autocapitalize: "off" })),
    cell("sku.standard", standard),
    el("td", { class: "sku-actions" }));
  if (sku) {
    ["spec_text", "price", "weight_grams", "outer_id"].forEach((n) => { row.querySelector(`[name=${n}]`).value = sku[n]; });
    row.querySelector("[name=list_price]").value = sku.list_price || "";
    row.dataset.active = String(sku.is_active);
  }
  renderRowActions(row);
  return row;
}

function renderRowActions(row) {
  const actions = row.querySelector(".sku-actions");
  if (!row.dataset.skuId) {
    actions.replaceChildren(el("button", { type: "button", class: "link remove-sku",
      onclick: () => row.remove() }, t("sku.remove")));
    return;
  }
  const active = row.dataset.active === "true";
  row.classList.toggle("inactive", !active);
  actions.replaceChildren(el("button", { type: "button", class: "link toggle-sku", onclick: () => {
    row.dataset.active = String(!active);
    renderRowActions(row);
  } }, active ? t("sku.deactivate") : t("sku.activate")));
}

// Each SKU input carries its error path ("skus.1.price") so a field error lands in its row.
function numberRows() {
  $$("#sku-table tbody .sku-row").forEach((row, index) => {
    row.querySelectorAll("[name]").forEach((input) => { input.dataset.path = `skus.${index}.${input.name}`; });
  });
}

function readRow(row) {
  const v = (name) => row.querySelector(`[name=${name}]`).value.trim();
  const int = (name) => (v(name) === "" ? null : Number(v(name)));
  const data = {
    spec_text: v("spec_text"),
    price: v("price"),
    list_price: v("list_price") || null,
    weight_grams: int("weight_grams"),
    outer_id: v("outer_id"),
    packaging_standard_id: idOrNull(v("packaging_standard_id")),
  };
  if (!row.dataset.skuId) data.stock = int("stock") ?? 0;
  else data.is_active = row.dataset.active === "true";
  return data;
}

// Only the fields of an existing SKU that the merchant changed.
function skuChanges(sku, data) {
  const changes = {};
  Object.entries(data).forEach(([key, value]) => {
    const before = sku[key] ?? null;
    if (String(before ?? "") !== String(value ?? "")) changes[key] = value;
  });
  return changes;
}

// ---- product form ---------------------------------------------------------------------

async function loadVillages(townshipId, selected = null) {
  const select = $("#village");
  const township = ctx.townships.find((tw) => String(tw.id) === String(townshipId));
  if (!township) { fillSelect(select, [], { blank: t("product.village_none") }); select.disabled = true; return; }
  const page = await guarded(() => api("/geo/villages", { query: { township: township.code, limit: 200 } }), { near: $("#township") });
  fillSelect(select, page ? page.items : [], { blank: t("product.village_none"), value: selected });
  select.disabled = false;
}

function showLicence() {
  $("#licence-fields").hidden = !$("#needs-licence").checked;
}

async function fillSellers() {
  const field = $("#seller-field");
  let sellers = ctx.me.organisations;
  if (ctx.seesAll) {
    const page = await guarded(() => api("/organisations", { query: { limit: 200 } }));
    sellers = page ? page.items : [];
  }
  field.hidden = current !== null || (!ctx.seesAll && sellers.length <= 1);
  fillSelect($("#seller"), sellers, { blank: sellers.length > 1 ? t("product.choose_seller") : null });
}

function productBody() {
  const form = $("#product-form");
  const v = (name) => form.elements[name].value.trim();
  return {
    title: v("title"),
    category_id: idOrNull(v("category_id")),
    brand_id: idOrNull(v("brand_id")),
    origin_township_id: idOrNull(v("origin_township_id")),
    origin_village_id: idOrNull(v("origin_village_id")),
    description: form.elements.description.value,
    is_supply_chain: form.elements.is_supply_chain.checked,
    needs_licence: form.elements.needs_licence.checked,
    licence_sc_no: v("licence_sc_no").toUpperCase(),
    licence_holder: v("licence_holder"),
    licence_expires: v("licence_expires") || null,
  };
}

async function create(body, rows) {
  const created = await api("/catalog/products", { method: "POST", body: {
    ...body, seller_id: idOrNull($("#seller").value), skus: rows.map(readRow),
  } });
  return { product: created, created: true };
}

// The product, then each new or changed SKU (an error names the row it came from).
async function update(body, rows) {
  const id = current.id;
  await api(`/catalog/products/${id}`, { method: "PATCH", body });
  for (const [index, row] of rows.entries()) {
    const data = readRow(row);
    const under = fieldsUnder(`skus.${index}`);
    if (!row.dataset.skuId) {
      await api(`/catalog/products/${id}/skus`, { method: "POST", body: data }).catch(under);
      continue;
    }
    const sku = current.skus.find((s) => String(s.id) === row.dataset.skuId);
    const changes = skuChanges(sku, data);
    if (Object.keys(changes).length) await api(`/catalog/skus/${sku.id}`, { method: "PATCH", body: changes }).catch(under);
  }
  return { product: await api(`/catalog/products/${id}`), created: false };
}

async function save(event) {
  event.preventDefault();
  const body = productBody();
  const rows = $$("#sku-table tbody .sku-row");
  numberRows();
  const done = await submitForm($("#product-form"), () => (current ? update(body, rows) : create(body, rows)),
    { success: (answer) => t(answer.created ? "product.created" : "product.saved") });
  if (done) onSaved(done.product, done.created);
}

// ---- status actions -------------------------------------------------------------------

const ACTIONS = [
  { to: "on_sale", from: ["draft", "off_sale"], label: "action.on_sale", id: "status-on-sale" },
  { to: "off_sale", from: ["on_sale", "recalled"], label: "action.off_sale", id: "status-off-sale" },
];

function renderStatusBar(product) {
  const bar = $("#status-bar");
  bar.hidden = !product;
  if (!product) return;
  const buttons = ACTIONS.filter((a) => a.from.includes(product.status)).map((a) =>
    el("button", { type: "button", id: a.id, class: a.to === "on_sale" ? "accent" : "", onclick: async (event) => {
      const button = event.currentTarget;
      const updated = await guarded(() => api(`/catalog/products/${product.id}/status`, {
        method: "POST", body: { status: a.to } }), { near: button });
      if (!updated) return;
      toast(t("status.changed", { status: t(`status.${updated.status}`) }), { near: $("#status-bar") });
      onSaved(updated, false);
    } }, t(a.label)));
  bar.replaceChildren(...[el("span", {}, t("product.status_label"), statusChip(product.status)),
    ctx.seesAll ? el("span", { class: "muted seller" }, t("merchant.seller_line", { name: product.seller_name })) : null,
    el("span", { class: "row wrap" }, ...buttons)].filter(Boolean));
}

// ---- entry points ---------------------------------------------------------------------

export function initEditor({ saved }) {
  onSaved = saved;
  fillSelect($("#category"), ctx.categories, { blank: t("product.choose_category") });
  fillSelect($("#brand"), ctx.brands, { blank: t("product.no_brand") });
  fillSelect($("#township"), ctx.townships, { blank: t("product.township_none"), label: townshipLabel });
  $("#township").addEventListener("change", (e) => loadVillages(e.target.value));
  $("#needs-licence").addEventListener("change", showLicence);
  $("#add-sku").addEventListener("click", () => {
    const row = skuRow();
    $("#sku-table").tBodies[0].append(row);
    row.querySelector("input").focus();
  });
  $("#product-form").addEventListener("submit", save);
}

export async function openEditor(product) {
  current = product;
  const form = $("#product-form");
  form.reset();
  clearFieldErrors(form);
  $("#editor-title").textContent = product ? product.title : t("products.new");
  await fillSellers();
  if (product) {
    ["title", "description", "licence_sc_no", "licence_holder"].forEach((n) => { form.elements[n].value = product[n] || ""; });
    form.elements.licence_expires.value = product.licence_expires || "";
    $("#category").value = String(product.category_id);
    $("#brand").value = product.brand_id ? String(product.brand_id) : "";
    $("#township").value = product.origin_township_id ? String(product.origin_township_id) : "";
    $("#is-supply-chain").checked = product.is_supply_chain;
    $("#needs-licence").checked = product.needs_licence;
  }
  await loadVillages($("#township").value, product && product.origin_village_id);
  showLicence();
  const rows = product ? product.skus.map((s) => skuRow(s)) : [skuRow()];
  $("#sku-table").tBodies[0].replaceChildren(...rows);
  renderStatusBar(product);
}
