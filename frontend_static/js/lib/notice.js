// Toasts appear where the person is looking: beside the control they just used (the button
// pressed, the form sent), above it when it sits in the lower half of the screen (a sticky
// buy bar, a save button at the bottom), at the top of the screen when nothing was touched.
// One toast at a time: a new one replaces the last. Errors stay longer than successes.
import "app/strings/common.js";
import { errorText } from "app/lib/api.js";
import { el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";

const GAP = 8;
const SHOWN_MS = { success: 4000, info: 6000, error: 12000 };
let touched = null; // {node, rect}: the last control the person used
let box = null;
let timer = null;

function remember(event) {
  const node = event.submitter || event.target;
  if (node instanceof Element) touched = { node, rect: node.getBoundingClientRect() };
}
["pointerdown", "keydown", "submit"].forEach((type) => document.addEventListener(type, remember, true));

function onScreen(rect) {
  return rect && (rect.width || rect.height) && rect.bottom > 0 && rect.top < innerHeight;
}

// A control inside a bar that stays on screen (sticky or fixed) anchors the toast to the
// whole bar, so the toast never covers the bar's other controls.
function barOf(node) {
  for (let n = node; n && n !== document.body; n = n.parentElement) {
    if (["sticky", "fixed"].includes(getComputedStyle(n).position)) return n;
  }
  return node;
}

function anchorRect(near) {
  if (near && near.isConnected) return barOf(near).getBoundingClientRect();
  if (!touched) return null;
  return touched.node.isConnected ? barOf(touched.node).getBoundingClientRect() : touched.rect;
}

function place(node, rect) {
  const width = document.documentElement.clientWidth;
  node.style.maxWidth = `${Math.min(420, width - 2 * GAP)}px`;
  node.style.left = "0px";
  node.style.top = "0px";
  const own = node.getBoundingClientRect();
  let top = GAP;
  let left = (width - own.width) / 2;
  if (onScreen(rect)) {
    const above = rect.top - GAP - own.height;
    const below = rect.bottom + GAP;
    const low = rect.top > innerHeight / 2;
    top = (low && above >= GAP) || below + own.height > innerHeight - GAP ? Math.max(GAP, above) : below;
    left = rect.left + rect.width / 2 - own.width / 2;
  }
  node.style.left = `${Math.max(GAP, Math.min(left, width - own.width - GAP))}px`;
  node.style.top = `${top}px`;
}

export function hideToast() {
  clearTimeout(timer);
  if (box) box.hidden = true;
}

function toastBox() {
  if (!box) {
    box = el("div", { id: "toast", class: "toast", hidden: true });
    document.body.append(box);
  }
  return box;
}

// toast(text, {near: button}); kind is "success", "info" or "error".
export function toast(text, { kind = "success", near = null, code = "" } = {}) {
  const node = toastBox();
  clearTimeout(timer);
  node.setAttribute("role", kind === "error" ? "alert" : "status");
  node.dataset.kind = kind;
  node.dataset.code = code;
  node.replaceChildren(el("span", { class: "toast-text" }, text),
    el("button", { type: "button", class: "toast-close", "aria-label": t("toast.close"), onclick: hideToast }, "×"));
  node.hidden = false;
  place(node, anchorRect(near));
  timer = setTimeout(hideToast, SHOWN_MS[kind] || SHOWN_MS.info);
}

export function showError(err, { near = null } = {}) {
  if (!(err && err.code)) console.error(err);
  toast(errorText(err), { kind: "error", near, code: (err && err.code) || "" });
}

// Run an action; an error is told in a toast beside the control that started it.
export async function guarded(action, { near = null } = {}) {
  try {
    return await action();
  } catch (err) {
    showError(err, { near });
    return undefined;
  }
}
