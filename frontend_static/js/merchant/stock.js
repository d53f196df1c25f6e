// Per SKU: the current stock, an adjustment (change by / set to, with a reason and note)
// and the stock ledger.
import "app/strings/merchant-products.js";
import { api } from "app/lib/api.js";
import { el } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";

// Reservations and releases come from orders; people adjust, correct and import.
const MANUAL_REASONS = ["adjustment", "correction", "import"];

function signed(n) {
  return n > 0 ? `+${n}` : String(n);
}

async function showLedger(sku, box) {
  const entries = await guarded(() => api(`/catalog/skus/${sku.id}/ledger`), { near: box });
  if (!entries) return;
  if (!entries.length) { box.replaceChildren(el("p", { class: "muted" }, t("stock.ledger_empty"))); return; }
  const head = ["stock.when", "stock.delta", "stock.after", "stock.reason", "stock.note", "stock.by"];
  box.replaceChildren(el("div", { class: "table-scroll" }, el("table", { class: "ledger" },
    el("thead", {}, el("tr", {}, ...head.map((k) => el("th", {}, t(k))))),
    el("tbody", {}, ...entries.map((e) => el("tr", { "data-entry-id": e.id },
      el("td", {}, time(e.created_at)),
      el("td", { class: e.delta < 0 ? "minus" : "plus" }, signed(e.delta)),
      el("td", {}, String(e.stock_after)),
      el("td", {}, t(`stock.reason.${e.reason}`)),
      el("td", {}, [e.note, e.ref].filter(Boolean).join(" · ")),
      el("td", {}, e.by_name || t("format.none"))))))));
}

function skuBlock(sku, onChanged) {
  const current = el("strong", { class: "current-stock" }, String(sku.stock));
  const ledger = el("div", { class: "ledger-box", hidden: true });
  const mode = el("select", { name: "mode", "aria-label": t("stock.mode") },
    el("option", { value: "delta" }, t("stock.mode_delta")), el("option", { value: "set_to" }, t("stock.mode_set")));
  const amount = el("input", { name: "amount", type: "number", step: 1, required: true, "aria-label": t("stock.amount"),
    placeholder: t("stock.amount") });
  const reason = el("select", { name: "reason", "aria-label": t("stock.reason") },
    ...MANUAL_REASONS.map((r) => el("option", { value: r }, t(`stock.reason.${r}`))));
  const note = el("input", { name: "note", maxlength: 200, placeholder: t("stock.note"), "aria-label": t("stock.note") });
  const form = el("form", { class: "stock-form", novalidate: true },
    mode, amount, reason, note, el("button", { type: "submit" }, t("stock.apply")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = amount.value.trim() === "" ? null : Number(amount.value);
    const body = { reason: reason.value, note: note.value.trim(), [mode.value]: value };
    amount.dataset.path = mode.value; // an error about "delta" or "set_to" belongs to the amount
    const updated = await submitForm(form, () => api(`/catalog/skus/${sku.id}/stock`, { method: "POST", body }),
      { success: (answer) => t("stock.adjusted", { n: answer.stock }) });
    if (!updated) return;
    sku.stock = updated.stock;
    current.textContent = String(updated.stock);
    form.reset();
    onChanged(updated);
    if (!ledger.hidden) showLedger(sku, ledger);
  });
  const toggle = el("button", { type: "button", class: "link show-ledger", onclick: () => {
    ledger.hidden = !ledger.hidden;
    toggle.textContent = ledger.hidden ? t("stock.show_ledger") : t("stock.hide_ledger");
    if (!ledger.hidden) showLedger(sku, ledger);
  } }, t("stock.show_ledger"));
  return el("div", { class: `stock-sku${sku.is_active ? "" : " inactive"}`, "data-sku-id": sku.id },
    el("div", { class: "stock-head" }, el("span", {}, sku.spec_text, " ", el("span", { class: "muted" }, sku.outer_id)),
      el("span", {}, t("stock.current"), " ", current)),
    form, toggle, ledger);
}

export function showStock(product, onChanged = () => {}) {
  const card = document.getElementById("stock-card");
  card.hidden = !product || !product.skus.length;
  if (card.hidden) return;
  document.getElementById("stock-list").replaceChildren(...product.skus.map((s) => skuBlock(s, onChanged)));
}
