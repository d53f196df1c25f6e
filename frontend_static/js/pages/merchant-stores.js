// The stores console (/merchant/stores/): the merchant's stores (#) and one store (#store/ID): bind or
// re-authorise by OAuth, pause, the freight template, the category mapping, each product's
// state and publish/sync with live progress over /ws/me/.
import "app/strings/merchant-stores.js";
import { api } from "app/lib/api.js";
import { confirmDialog } from "app/lib/confirm.js";
import { $ } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { pagedList } from "app/lib/list.js";
import { guarded, toast } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";
import { liveSocket } from "app/lib/socket.js";
import * as view from "app/stores/view.js";

let apps = [];
let current = null; // the store shown
let leaf = null; // the platform's leaf category chosen for the mapping
let listings = new Map(); // product id → its listing in the current store
let picked = new Set(); // product ids ticked for publishing
let job = null; // the job started here, as its frames arrive
let failures = [];
let products = null;

async function bind(appId, near) {
  const answer = await guarded(() => api("/stores/bind", { method: "POST", body: { app_id: appId } }), { near });
  if (answer) location.href = answer.authorize_url;
}

async function pause(store, button) {
  const pausing = store.status === "active";
  if (pausing && !(await confirmDialog(t("mstores.pause_confirm", { name: view.storeName(store) }),
    { ok: t("mstores.pause"), danger: true }))) return;
  const saved = await guarded(() => api(`/stores/${store.id}/pause`, { method: "POST", body: { paused: pausing } }),
    { near: button });
  if (!saved) return;
  toast(t(pausing ? "mstores.paused" : "mstores.resumed"), { near: button });
  await (current ? showStore(current.id) : renderList());
}

const handlers = {
  onBind: (store, button) => {
    const app = apps.find((a) => a.platform === store.platform);
    if (app) bind(app.id, button);
  },
  onPause: pause,
};

async function renderList() {
  const loaded = await guarded(() => Promise.all([api("/stores/apps"), api("/stores")]));
  if (!loaded) return;
  const [found, stores] = loaded;
  apps = found;
  view.fillOptions($("#bind-app"), apps, {
    value: (a) => String(a.id), label: (a) => `${view.platformName(a.platform)} · ${a.name}`, blank: false,
  });
  view.renderStores(stores, handlers);
}

async function browse(parentId, path) {
  const cats = await guarded(() => api(`/stores/${current.id}/remote/categories`, { query: { parent_id: parentId } }));
  if (!cats) return;
  view.renderRemoteCategories(path, cats, async (cat) => {
    if (!cat.is_leaf) { browse(cat.id, [...path, cat]); return; }
    leaf = { ...cat, parent: parentId };
    view.renderRemoteCategories([...path, cat], [], () => {});
    const attrs = await guarded(() => api(`/stores/${current.id}/remote/categories/${cat.id}/attributes`));
    if (attrs) view.renderAttributes(attrs, { platform: current.platform });
    $("#mapping-save").disabled = false;
  });
}

async function saveMapping(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const category = $("#map-category").value;
  if (!category || !leaf) { toast(t("mstores.choose_leaf"), { kind: "info", near: $("#mapping-save") }); return; }
  const body = { remote_parent_id: leaf.parent, remote_category_id: leaf.id, ...view.readAttributes() };
  const saved = await submitForm(form,
    () => api(`/stores/${current.id}/mappings/${category}`, { method: "PUT", body }),
    { success: t("mstores.saved") });
  if (saved) view.renderMappings(await guarded(() => api(`/stores/${current.id}/mappings`)) || []);
}

function saveFreight(event) {
  event.preventDefault();
  const body = { template_id: $("#freight").value };
  submitForm(event.currentTarget,
    () => api(`/stores/${current.id}/freight-template`, { method: "PUT", body }),
    { success: t("mstores.saved") });
}

function fillSettings(store) {
  $("#safety-stock").value = store.safety_stock;
  $("#share-percent").value = store.share_percent;
  $("#deleted-remotely").value = store.deleted_remotely;
}

async function saveSettings(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    safety_stock: Number($("#safety-stock").value),
    share_percent: Number($("#share-percent").value),
    deleted_remotely: $("#deleted-remotely").value,
  };
  const saved = await submitForm(form,
    () => api(`/stores/${current.id}/settings`, { method: "PATCH", body }),
    { success: t("mstores.saved") });
  if (saved) { current = saved; fillSettings(saved); }
}

// The store's on-sale products, a page at a time, each with its listing's state.
async function loadProducts(query) {
  const [page, found] = await Promise.all([
    api("/catalog/products", { query: { ...query, status: "on_sale" } }),
    api(`/stores/${current.id}/listings`, { query: { limit: 200 } }),
  ]);
  listings = new Map(found.items.map((l) => [l.product_id, l]));
  return page;
}

const onPick = (id, on) => (on ? picked.add(id) : picked.delete(id));

async function showStore(id) {
  const loaded = await guarded(() => Promise.all([
    api(`/stores/${id}`), api("/catalog/categories"), api(`/stores/${id}/mappings`),
  ]));
  if (!loaded) return;
  const [store, categories, mappings] = loaded;
  current = store;
  leaf = null;
  picked = new Set();
  $("#store-title").textContent = view.storeName(store);
  $("#store-health").replaceChildren(view.storeCard(store, { ...handlers, open: false }));
  fillSettings(store);
  const templates = await guarded(() => api(`/stores/${id}/remote/freight-templates`)) || [];
  view.fillOptions($("#freight"), templates, { value: (r) => r.id, label: (r) => r.name, selected: store.freight_template_id });
  view.fillOptions($("#map-category"), categories, { value: (c) => String(c.id), label: (c) => c.name });
  view.renderMappings(mappings);
  $("#attrs-form").replaceChildren();
  $("#mapping-save").disabled = true;
  if (!job || job.store_id !== store.id) { job = null; failures = []; }
  view.renderJob(job, failures);
  await Promise.all([browse("0", []), products.again()]);
}

async function publish(event) {
  const button = event.currentTarget;
  const ids = [...picked];
  if (!ids.length) { toast(t("mstores.choose_products"), { kind: "info", near: button }); return; }
  button.disabled = true;
  const started = await guarded(() => api(`/stores/${current.id}/jobs`, { method: "POST", body: { product_ids: ids } }),
    { near: button });
  button.disabled = false;
  if (!started) return;
  // A frame may have overtaken the answer: keep whichever has come further.
  if (!job || job.id !== started.id) { job = started; failures = started.failures || []; }
  view.renderJob(job, failures);
}

// Frames of the user's channel: {type: "stores.job", payload: the job and its new items}.
function onLive(message) {
  if (message.type !== "stores.job" || !current || message.payload.store_id !== current.id) return;
  const frame = { ...message.payload, id: message.payload.job_id };
  if (job && job.id === frame.id && job.status === "done") return;
  if (!job || job.id !== frame.id) failures = [];
  job = frame;
  const known = new Set(failures.map((f) => f.product_id));
  failures = [...failures, ...(frame.items || []).filter((item) => !item.ok && !known.has(item.product_id))];
  view.renderJob(job, failures);
  if (frame.status === "done") {
    picked = new Set();
    products.render();
  }
}

function showOutcome() {
  const params = new URLSearchParams(location.search);
  const box = $("#outcome");
  if (params.get("bound")) box.textContent = t("mstores.bound", { name: `#${params.get("bound")}` });
  else if (params.get("bind_error")) {
    box.textContent = t("mstores.bind_error", { code: params.get("bind_error") });
    box.classList.replace("notice", "error");
  } else return;
  box.hidden = false;
}

async function route() {
  const match = location.hash.match(/^#store\/(\d+)$/);
  $("#list-view").hidden = Boolean(match);
  $("#store-view").hidden = !match;
  document.body.dataset.view = match ? "store" : "list";
  // Only the view shown holds store cards, so [data-store] finds one card.
  $(match ? "#store-list" : "#store-health").replaceChildren();
  if (match) await showStore(Number(match[1]));
  else { current = null; await renderList(); }
  window.scrollTo(0, 0);
}

start(async () => {
  showOutcome();
  products = pagedList({
    list: $("#product-states"),
    load: loadProducts,
    row: (p) => view.productRow(p, listings.get(p.id), { picked: picked.has(p.id), onPick }),
    empty: t("mstores.no_products"),
    summary: $("#product-summary"),
    summaryKey: "mstores.summary",
    pager: $("#product-pager"),
    pageSize: 50,
  });
  $("#bind-form").addEventListener("submit", (event) => {
    event.preventDefault();
    bind(Number($("#bind-app").value), $("#bind-start"));
  });
  $("#back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  $("#freight-form").addEventListener("submit", saveFreight);
  $("#settings-form").addEventListener("submit", saveSettings);
  $("#mapping-card").addEventListener("submit", saveMapping);
  $("#publish").addEventListener("click", publish);
  liveSocket("/ws/me/", {
    onMessage: onLive,
    onStatus: (state, text) => state !== "open" && text && toast(text, { kind: "info" }),
  });
  window.addEventListener("hashchange", route);
  await route();
});
