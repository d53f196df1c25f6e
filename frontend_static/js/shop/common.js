// The storefront's small shared parts: the cart link with its count, and quantities that
// are corrected aloud (never silently) when out of range.
import "app/strings/shop.js";
import { $ } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { toast } from "app/lib/notice.js";
import { cartCount, MAX_QUANTITY, quantityFrom } from "app/shop/cart.js";

export function showCartCount() {
  const link = $("#cart-link");
  const n = cartCount();
  if (link) {
    link.textContent = n ? t("shop.cart_count", { n }) : t("shop.cart");
    link.dataset.count = String(n);
  }
}

// The quantity in an input, corrected to 1–999: {n, changed}; the caller says so.
export function readQuantity(input) {
  const { n, changed } = quantityFrom(input.value);
  if (changed) input.value = String(n);
  return { n, changed };
}

// A quantity corrected in place is said beside its input.
export function quantityChanged(input) {
  const { n, changed } = readQuantity(input);
  if (changed) toast(t("shop.quantity_clamped", { max: MAX_QUANTITY, n }), { kind: "info", near: input });
  return n;
}
