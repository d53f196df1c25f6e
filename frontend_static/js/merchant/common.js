// Shared by the merchant console's pages: the reference lists (categories, brands,
// packaging standards, townships), the signed-in user, selects and status chips.
import "app/strings/merchant.js";
import { api } from "app/lib/api.js";
import { el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";

// Roles that see (and may manage) every seller's products.
const ALL_SELLERS_ROLES = ["office_staff", "platform_admin", "inspector"];

export const ctx = {
  me: null,
  seesAll: false,
  categories: [],
  brands: [],
  standards: [],
  townships: [],
};

export const PRODUCT_STATUSES = ["draft", "on_sale", "off_sale", "recalled"];

export async function loadContext(me) {
  ctx.me = me;
  ctx.seesAll = me.roles.some((r) => ALL_SELLERS_ROLES.includes(r));
  const [categories, brands, standards, townships] = await Promise.all([
    api("/catalog/categories"),
    api("/catalog/brands"),
    api("/catalog/packaging-standards"),
    api("/geo/townships", { query: { limit: 200 } }),
  ]);
  Object.assign(ctx, { categories, brands, standards, townships: townships.items });
}

// Replace a <select>'s options; `blank` is the label of the empty choice (or none).
export function fillSelect(select, items, { blank = null, value = "", label = (i) => i.name } = {}) {
  const options = items.map((item) => el("option", { value: String(item.id) }, label(item)));
  if (blank !== null) options.unshift(el("option", { value: "" }, blank));
  select.replaceChildren(...options);
  select.value = value == null ? "" : String(value);
}

export function townshipLabel(township) {
  return township.is_dissolved ? t("geo.dissolved_name", { name: township.name }) : township.name;
}

export function statusChip(status) {
  return el("span", { class: `status status-${status}`, "data-status": status }, t(`status.${status}`));
}

// "" → null, otherwise an integer id.
export function idOrNull(value) {
  return value === "" || value == null ? null : Number(value);
}
