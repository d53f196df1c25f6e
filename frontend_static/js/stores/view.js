// DOM of the merchant's stores page (/merchant/stores/), kept apart from its logic. Built
// with the kit's el(); the live job progress is a Preact component (it changes in real time).
import "app/strings/merchant-stores.js";
import { $, $$, el } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { html, render } from "app/lib/view.js";

const when = (iso) => (iso ? time(iso) : t("store.never"));
export const platformName = (platform) => t(`store.platform.${platform}`);
export const storeName = (store) => `${platformName(store.platform)} · ${store.shop_name || store.shop_id}`;

// One store with its health; the actions are left out where `handlers` has none.
export function storeCard(store, { onBind = null, onPause = null, open = true } = {}) {
  const listings = store.listings;
  const actions = el("div", { class: "store-actions" },
    open ? el("a", { class: "button", href: `#store/${store.id}`, "data-open": store.id }, t("mstores.open")) : null,
    onBind ? el("button", { type: "button", "data-reauthorise": store.id, onclick: (e) => onBind(store, e.currentTarget) },
      t("mstores.reauthorise")) : null,
    onPause && store.status !== "reauthorise"
      ? el("button", { type: "button", "data-pause": store.id, onclick: (e) => onPause(store, e.currentTarget) },
          t(store.status === "paused" ? "mstores.resume" : "mstores.pause"))
      : null);
  return el("li", { class: "card store", "data-store": store.id, "data-status": store.status },
    el("div", { class: "store-head" },
      el("strong", { class: "store-name" }, storeName(store)),
      el("span", { class: `status store-status-${store.status}` }, t(`store.status.${store.status}`))),
    el("p", { class: "muted" }, t("mstores.health", {
      expires: when(store.token_expires_at), sync: when(store.last_sync_at),
      listed: listings.listed, failed: listings.failed,
    })),
    el("p", { class: "muted store-import", "data-import-window-end": store.import_window_end || "" },
      t("mstores.import_health", {
        window: store.import_window_end ? `${when(store.import_window_start)} – ${when(store.import_window_end)}` : t("store.never"),
        lag: store.import_lag_seconds == null ? "–" : Math.round(store.import_lag_seconds / 60),
      })),
    store.import_error ? el("p", { class: "error-text store-import-error" }, t("mstores.import_error", { error: store.import_error })) : null,
    store.status_reason ? el("p", { class: "error-text" }, store.status_reason) : null,
    store.last_error ? el("p", { class: "muted" }, store.last_error) : null,
    actions.childElementCount ? actions : null);
}

export function renderStores(stores, handlers) {
  $("#store-list").replaceChildren(...(stores.length ? stores.map((s) => storeCard(s, handlers))
    : [el("li", { class: "muted empty" }, t("mstores.no_stores"))]));
}

export function fillOptions(select, rows, { value, label, selected = null, blank = true }) {
  select.replaceChildren(
    ...(blank ? [el("option", { value: "" }, t("mstores.choose"))] : []),
    ...rows.map((r) => el("option", { value: value(r), selected: value(r) === selected }, label(r))));
}

export function renderRemoteCategories(path, cats, onPick) {
  $("#remote-path").textContent = [t("mstores.root"), ...path.map((c) => c.name)].join(" › ");
  $("#remote-cats").replaceChildren(...cats.map((cat) => el("li", {},
    el("button", { type: "button", class: "link", "data-remote-cat": cat.id, onclick: () => onPick(cat) },
      cat.name, cat.is_leaf ? ` ${t("mstores.leaf")}` : " ›"))));
}

// The non-sale attributes (a select when the platform lists values) and, for Taobao, rows
// of spec text → the sale attribute's value. data-path lets a field error land beside one.
export function renderAttributes(attributes, { platform }) {
  const box = $("#attrs-form");
  box.replaceChildren();
  attributes.filter((a) => !a.sale).forEach((a) => {
    const path = `attributes.${a.id}`;
    const input = a.values.length
      ? el("select", { "data-attr": a.id, "data-path": path }, el("option", { value: "" }, t("mstores.choose")),
          ...a.values.map((v) => el("option", { value: v.id }, v.name)))
      : el("input", { "data-attr": a.id, "data-path": path });
    box.append(el("label", {}, el("span", {}, a.required ? `${a.name} (${t("mstores.required")})` : a.name), input));
  });
  const sale = attributes.find((a) => a.sale);
  if (platform !== "taobao" || !sale) return;
  const rows = el("div", { id: "spec-rows" });
  const addRow = () => rows.append(el("div", { class: "row spec-row" },
    el("input", { "data-spec-text": "", placeholder: t("mstores.spec_text"), "aria-label": t("mstores.spec_text") }),
    el("select", { "data-spec-value": "", "aria-label": t("mstores.spec_value") },
      ...sale.values.map((v) => el("option", { value: v.id }, v.name)))));
  addRow();
  box.append(el("p", {}, sale.name), rows,
    el("button", { type: "button", id: "add-spec", onclick: addRow }, t("mstores.add_spec")));
}

export function readAttributes() {
  const attributes = {};
  $$("[data-attr]").forEach((input) => {
    if (input.value) attributes[input.dataset.attr] = input.value;
  });
  const specValues = {};
  $$(".spec-row").forEach((row) => {
    const text = $("[data-spec-text]", row).value.trim();
    if (text) {
      specValues[text] = $("[data-spec-value]", row).value;
      $("[data-spec-value]", row).dataset.path = `spec_values.${text}`;
    }
  });
  return { attributes, spec_values: specValues };
}

export function renderMappings(mappings) {
  $("#mapping-list").replaceChildren(...mappings.map((m) => el("li", { "data-mapped": m.category_id },
    t("mstores.mapped", { ours: m.category_name, remote: m.remote_category_name }))));
}

// One on-sale product with its listing's state in this store, and a box to pick it.
export function productRow(product, listing, { picked, onPick }) {
  const state = listing ? listing.state : "unlisted";
  return el("li", { class: "product-state", "data-product": product.id, "data-state": state },
    el("label", { class: "check" },
      el("input", { type: "checkbox", "data-pick": product.id, checked: picked,
        onchange: (e) => onPick(product.id, e.currentTarget.checked) }),
      el("span", { class: "title" }, product.title)),
    el("span", { class: `status listing-${state}` }, t(`mstores.listing.${state}`)),
    listing && listing.last_error
      ? el("p", { class: "error-text" }, `${listing.last_error} ${listing.platform_message || ""}`.trim()) : null);
}

// The running job as frames arrive: a bar, the counts, and each failed product.
function JobProgress({ job, failures }) {
  const key = job.status === "done" ? "mstores.done" : "mstores.progress";
  return html`
    <progress id="job-progress" max=${job.total || 1} value=${job.done + job.failed}></progress>
    <p id="job-status" data-status=${job.status} aria-live="polite">${t(key, job)}</p>
    <ul id="job-failures" class="job-failures">
      ${failures.map((item) => html`<li key=${item.product_id} class="error-text" data-failed=${item.product_id}>
        #${item.product_id} ${item.error} ${item.platform_message || ""}</li>`)}
    </ul>`;
}

export function renderJob(job, failures) {
  render(job ? html`<${JobProgress} job=${job} failures=${failures} />` : null, $("#job"));
}
