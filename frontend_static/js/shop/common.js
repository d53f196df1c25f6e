// The storefront's small shared parts: the cart link with its count.
import { t } from "app/i18n.js";
import { cartCount } from "app/shop/cart.js";

export function showCartCount() {
  const link = document.getElementById("cart-link");
  const n = cartCount();
  if (link) {
    link.textContent = n ? t("shop.cart_count", { n }) : t("shop.cart");
    link.dataset.count = String(n);
  }
}
