// A small "copy" button beside a value people paste elsewhere (a waybill number).
import "app/strings/common.js";
import { el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";

export function copyButton(text, { id = null } = {}) {
  const button = el("button", { type: "button", class: "link copy", id, "data-copy": text }, t("copy.copy"));
  button.addEventListener("click", () => guarded(async () => {
    await navigator.clipboard.writeText(text);
    toast(t("copy.done"), { near: button });
  }, { near: button }));
  return button;
}
