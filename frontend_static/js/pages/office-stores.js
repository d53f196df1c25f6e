// The specialty stores (/office/stores/): every store of the county, counted from the records.
import "app/strings/office-stores.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { time } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";

// Each cell carries its column's name, shown beside it when the table stacks on a phone.
const cell = (key, text, attrs = {}) => el("td", { "data-label": t(key), ...attrs }, text);

function storeRow(s) {
  return el("tr", { "data-store": s.id, "data-status": s.status },
    cell("ostores.platform", t(`store.platform.${s.platform}`)),
    cell("ostores.shop", s.shop_name, { class: "shop" }),
    cell("ostores.owner", s.organisation_name),
    cell("ostores.status", el("span", { class: `status store-status-${s.status}` }, t(`store.status.${s.status}`))),
    cell("ostores.listed", String(s.listed)),
    cell("ostores.last_sync", s.last_sync_at ? time(s.last_sync_at) : t("store.never")));
}

start(async () => {
  const summary = await guarded(() => api("/stores/office/summary"));
  if (!summary) return;
  $("#store-count").textContent = t("ostores.count", { n: summary.active_stores });
  $("#store-table tbody").replaceChildren(...(summary.stores.length ? summary.stores.map(storeRow)
    : [el("tr", {}, el("td", { colspan: 6, class: "muted empty" }, t("ostores.empty")))]));
});
