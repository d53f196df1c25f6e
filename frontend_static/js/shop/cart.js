// The cart lives in localStorage with the idempotency key of its checkout: a submit that is
// retried (lost answer, double tap) sends the same key and the server returns the same
// checkout. Any change to the cart makes a new key.
import { moneySum } from "app/lib/format.js";

const KEY = "qs.cart";
export const MAX_QUANTITY = 999;

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function loadCart() {
  try {
    const cart = JSON.parse(localStorage.getItem(KEY));
    if (cart && Array.isArray(cart.items) && cart.key) return cart;
  } catch (err) { /* a damaged cart starts over */ }
  return { items: [], key: newKey() };
}

function save(items) {
  const cart = { items, key: newKey() };
  localStorage.setItem(KEY, JSON.stringify(cart));
  return cart;
}

// What the person typed, as a quantity the cart accepts: {n, changed} (changed: say so).
export function quantityFrom(text) {
  const typed = parseInt(text, 10);
  const n = Math.max(1, Math.min(MAX_QUANTITY, Number.isNaN(typed) ? 1 : typed));
  return { n, changed: n !== typed };
}

export function cartAdd(item, quantity) {
  const items = loadCart().items;
  const line = items.find((i) => i.sku_id === item.sku_id);
  if (line) line.quantity = Math.min(MAX_QUANTITY, line.quantity + quantity);
  else items.push({ ...item, quantity });
  return save(items);
}

export function cartSetQuantity(skuId, quantity) {
  return save(loadCart().items.map((i) => (i.sku_id === skuId ? { ...i, quantity } : i)));
}

export function cartRemove(skuId) {
  return save(loadCart().items.filter((i) => i.sku_id !== skuId));
}

export function cartClear() {
  localStorage.removeItem(KEY);
}

export function cartCount() {
  return loadCart().items.reduce((n, i) => n + i.quantity, 0);
}

// The server's total is the one that is charged; this one is shown while choosing.
export function cartTotal(items) {
  return moneySum(items.map((i) => [i.price, i.quantity]));
}
