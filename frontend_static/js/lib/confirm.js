// A confirm dialog in the page's own words and style (a modal <dialog>, Escape cancels):
// `if (await confirmDialog(text, {ok, danger: true})) ...`.
import "app/strings/common.js";
import { el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";

export function confirmDialog(text, { ok = t("confirm.ok"), cancel = t("confirm.cancel"), danger = false } = {}) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "confirm", id: "confirm-dialog", "aria-labelledby": "confirm-text" },
      el("form", { method: "dialog" },
        el("p", { id: "confirm-text" }, text),
        el("div", { class: "row confirm-buttons" },
          el("button", { value: "cancel", id: "confirm-cancel" }, cancel),
          el("button", { value: "ok", id: "confirm-ok", class: danger ? "accent" : "primary" }, ok))));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
