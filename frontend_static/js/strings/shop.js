// Strings of the storefront shared by its pages (the cart link, money words).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "shop.cart": "购物车",
    "shop.cart_count": "购物车（{n}）",
    "shop.back": "← 返回商城",
    "shop.quantity": "数量",
    "shop.no_image": "暂无图片",
    "shop.quantity_clamped": "数量需在 1 到 {max} 之间，已改为 {n}",
  },
  en: {
    "shop.cart": "Cart",
    "shop.cart_count": "Cart ({n})",
    "shop.back": "← Back to the shop",
    "shop.quantity": "Quantity",
    "shop.no_image": "No image",
    "shop.quantity_clamped": "Quantities go from 1 to {max}; changed to {n}",
  },
});
