// The one DOM helper of the pages: `$` finds one element, `$$` all of them, `el` builds one.
export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// el("button", {type: "button", class: "link", onclick: fn, disabled: false}, "text", child)
// Attributes that are null, undefined or false are left out; true gives an empty attribute.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([key, value]) => {
    if (value == null || value === false) return;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  });
  children.flat().forEach((child) => child != null && child !== false && node.append(child));
  return node;
}
