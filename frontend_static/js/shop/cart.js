// The cart lives in localStorage with the idempotency key of its checkout: a submit that is
// retried (lost answer, double tap) sends the same key and the server returns the same
// checkout. Any change to the cart makes a new key.
const KEY = "qs.cart";

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

export function cartAdd(item, quantity) {
  const items = loadCart().items;
  const line = items.find((i) => i.sku_id === item.sku_id);
  if (line) line.quantity = Math.min(999, line.quantity + quantity);
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

// Sum in fen so that 0.1 + 0.2 never shows; the server's total is the one that is charged.
export function cartTotal(items) {
  const fen = items.reduce((sum, i) => sum + Math.round(Number(i.price) * 100) * i.quantity, 0);
  return (fen / 100).toFixed(2);
}
