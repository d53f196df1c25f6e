// The strings of a page: each string module (js/strings/) adds its table, Simplified
// Chinese first and English second; t(key, {var}) formats. The language is the server's
// (the html element's data-lang): switching sets Django's language cookie and reloads.
export const DEFAULT_LANG = "zh-hans";
const tables = { "zh-hans": {}, en: {} };

export function addStrings(strings) {
  Object.entries(strings).forEach(([lang, table]) => Object.assign(tables[lang], table));
}

export function currentLang() {
  const lang = document.documentElement.dataset.lang;
  return lang in tables ? lang : DEFAULT_LANG;
}

export function setLang(lang) {
  const value = lang in tables ? lang : DEFAULT_LANG;
  document.cookie = `django_language=${value}; path=/; max-age=31536000; samesite=lax`;
}

export function t(key, vars = {}) {
  const text = tables[currentLang()][key] ?? tables[DEFAULT_LANG][key];
  if (text === undefined) {
    console.warn(`missing string: ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// Fill every element carrying data-i18n (text), data-i18n-placeholder or data-i18n-label.
export function translatePage(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  });
  root.querySelectorAll("[data-i18n-label]").forEach((node) => {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  });
}
