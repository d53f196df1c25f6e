// Forms: each field error of the envelope (extra.fields[].path) shown beside its field, in
// the words the server chose; the submit button busy while the request runs; success and
// failure told next to where the person is; drafts kept across a login redirect.
import "app/strings/common.js";
import { $$, el } from "app/lib/dom.js";
import { showError, toast } from "app/lib/notice.js";

const PREFIX = /^(body\.payload|body|query|path|form)\./;
let serial = 0;

// The control for an error path: "body.payload.skus.1.price" finds [data-path="skus.1.price"]
// or [name="skus.1.price"], then the shorter tails "1.price" and "price".
export function fieldFor(form, path) {
  const parts = path.replace(PREFIX, "").split(".");
  for (let i = 0; i < parts.length; i += 1) {
    const key = CSS.escape(parts.slice(i).join("."));
    const found = form.querySelector(`[data-path="${key}"]`) || form.querySelector(`[name="${key}"]`);
    if (found) return found;
  }
  return null;
}

// For a request about one part of a form (one SKU row): `.catch(fieldsUnder("skus.1"))`
// re-roots its field errors so they land in that part.
export function fieldsUnder(prefix) {
  return (err) => {
    if (err && err.fields) err.fields = err.fields.map((f) => ({ ...f, path: `${prefix}.${f.path.replace(PREFIX, "")}` }));
    throw err;
  };
}

export function clearFieldErrors(form) {
  $$(".field-error", form).forEach((node) => node.remove());
  $$("[aria-invalid]", form).forEach((node) => {
    node.removeAttribute("aria-invalid");
    node.removeAttribute("aria-describedby");
  });
}

function besideField(field, message) {
  const existing = field.getAttribute("aria-describedby");
  if (existing && document.getElementById(existing)) {
    document.getElementById(existing).append(" ", message);
    return;
  }
  const id = field.id ? `${field.id}-error` : `field-error-${(serial += 1)}`;
  const note = el("p", { class: "field-error", id }, message);
  const after = ["checkbox", "radio"].includes(field.type) ? field.closest("label") || field : field;
  after.insertAdjacentElement("afterend", note);
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", id);
}

// Put every field error beside its field; the first one is brought into view and focused.
// Returns the errors that have no field in this form.
export function showFieldErrors(form, err) {
  clearFieldErrors(form);
  const loose = [];
  let first = null;
  (err.fields || []).forEach((f) => {
    const field = fieldFor(form, f.path);
    if (!field) { loose.push(f); return; }
    besideField(field, f.message);
    first = first || field;
  });
  if (first) {
    const rect = first.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > innerHeight) first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }
  return { first, loose };
}

export function formError(form, err, near) {
  const { first, loose } = showFieldErrors(form, err);
  const shown = { ...err, message: err.message, code: err.code, fields: loose };
  // Beside the first field's own note, so the toast never covers what it says.
  const note = first && document.getElementById(first.getAttribute("aria-describedby"));
  showError(shown, { near: note || first || near });
}

// Send a form: fields cleared of old errors, the button busy, the answer told beside it.
// Resolves to the action's value, or undefined when it failed.
export async function submitForm(form, action, { success = null, button = null } = {}) {
  const submitter = button || form.querySelector("[type=submit]");
  clearFieldErrors(form);
  if (submitter) submitter.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const value = await action();
    const text = typeof success === "function" ? success(value) : success;
    if (text) toast(text, { near: submitter });
    return value;
  } catch (err) {
    formError(form, err, submitter);
    return undefined;
  } finally {
    if (submitter) submitter.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

// Keep what was typed in this tab (sessionStorage) so a login redirect or a reload loses
// nothing; restore() fills the fields back. clear() once the form has done its job.
export function keepDraft(form, key) {
  const storageKey = `qs.draft.${key}`;
  const save = () => {
    const values = {};
    new FormData(form).forEach((value, name) => { if (typeof value === "string") values[name] = value; });
    sessionStorage.setItem(storageKey, JSON.stringify(values));
  };
  form.addEventListener("input", save);
  return {
    save,
    restore() {
      const saved = JSON.parse(sessionStorage.getItem(storageKey) || "null") || {};
      Object.entries(saved).forEach(([name, value]) => {
        const field = form.elements.namedItem(name);
        if (field && "value" in field) field.value = value;
      });
      return Object.keys(saved).length > 0;
    },
    clear() { sessionStorage.removeItem(storageKey); },
  };
}
