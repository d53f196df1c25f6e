// A product's images: upload (each file shows its processing state, polled until the media
// queue has made the variants), reorder with up/down, delete; a failed upload says why and
// can be removed. A product not saved yet has no images: the card says they come after.
import "app/strings/merchant-products.js";
import { api, errorText } from "app/lib/api.js";
import { confirmDialog } from "app/lib/confirm.js";
import { $, el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";

const UNFINISHED = ["pending", "processing"];
const POLL_MS = 1000;
const POLL_MAX = 180;
let product = null;
let pollTimer = null;
const uploading = []; // files on their way up: {name, status, error}

function preview(image) {
  const variant = image.status === "ready"
    && (image.variants.find((v) => v.spec_name === "thumbnail") || image.variants.find((v) => v.spec_name === "square_main"));
  if (variant) {
    return el("img", { class: "variant", src: variant.url, alt: "", width: 120, height: 120,
      "data-variant": variant.spec_name });
  }
  return el("span", { class: "variant placeholder", "aria-hidden": "true" }, image.status === "failed" ? "✕" : "…");
}

function stateLabel(status, error) {
  return el("span", { class: `image-status image-${status}`, "data-status": status },
    t(`image.status.${status}`), error ? el("span", { class: "image-error" }, error) : "");
}

function imageItem(image, index, count) {
  const move = (step) => reorder(index, index + step);
  return el("li", { class: "image-item", "data-image-id": image.id, "data-status": image.status },
    preview(image),
    el("div", { class: "image-info" },
      index === 0 ? el("strong", { class: "main-mark" }, t("images.main")) : null,
      stateLabel(image.status, image.error),
      el("span", { class: "muted" }, `${image.width}×${image.height} ${image.format}`),
      image.status === "ready" ? el("span", { class: "muted" }, t("images.variants", { n: image.variants.length })) : null),
    el("div", { class: "image-actions" },
      el("button", { type: "button", class: "move-up", "aria-label": t("images.up"), title: t("images.up"),
        disabled: index === 0, onclick: () => move(-1) }, "↑"),
      el("button", { type: "button", class: "move-down", "aria-label": t("images.down"), title: t("images.down"),
        disabled: index === count - 1, onclick: () => move(1) }, "↓"),
      el("button", { type: "button", class: "delete-image", onclick: () => remove(image) }, t("images.delete"))));
}

function render() {
  const images = product ? product.images : [];
  $("#image-list").replaceChildren(
    ...images.map((image, i) => imageItem(image, i, images.length)),
    ...uploading.map((u) => el("li", { class: "image-item uploading", "data-status": u.status },
      el("span", { class: "variant placeholder", "aria-hidden": "true" }, u.status === "upload_failed" ? "✕" : "…"),
      el("div", { class: "image-info" }, el("span", {}, u.name), stateLabel(u.status, u.error)),
      u.status === "upload_failed" ? el("div", { class: "image-actions" }, el("button", { type: "button",
        class: "remove-failed", onclick: () => { uploading.splice(uploading.indexOf(u), 1); render(); } },
      t("images.remove"))) : null)));
}

function schedulePoll(tries = 0) {
  clearTimeout(pollTimer);
  if (!product || !product.images.some((i) => UNFINISHED.includes(i.status)) || tries >= POLL_MAX) return;
  const id = product.id;
  pollTimer = setTimeout(async () => {
    const fresh = await guarded(() => api(`/catalog/products/${id}`));
    if (!fresh || !product || product.id !== id) return;
    product.images = fresh.images;
    render();
    schedulePoll(tries + 1);
  }, POLL_MS);
}

async function upload(files) {
  const id = product.id;
  for (const file of files) {
    const entry = { name: file.name, status: "uploading", error: "" };
    uploading.push(entry);
    render();
    const body = new FormData();
    body.append("file", file);
    let image = null;
    try {
      image = await api(`/catalog/products/${id}/images`, { method: "POST", body });
    } catch (err) {
      entry.error = errorText(err);
      toast(t("images.upload_error", { name: file.name, error: entry.error }),
        { kind: "error", code: err.code || "", near: $("label[for=image-input]") });
    }
    uploading.splice(uploading.indexOf(entry), 1);
    if (!product || product.id !== id) return;
    if (image) product.images.push(image);
    else uploading.push({ ...entry, status: "upload_failed" });
    render();
  }
  schedulePoll();
}

async function reorder(from, to) {
  const ids = product.images.map((i) => i.id);
  [ids[from], ids[to]] = [ids[to], ids[from]];
  const images = await guarded(() => api(`/catalog/products/${product.id}/images/order`, {
    method: "PUT", body: { image_ids: ids } }));
  if (images) { product.images = images; render(); }
}

async function remove(image) {
  if (!(await confirmDialog(t("images.confirm_delete"), { ok: t("images.delete"), danger: true }))) return;
  const done = await guarded(() => api(`/catalog/products/${product.id}/images/${image.id}`,
    { method: "DELETE" }).then(() => true), { near: $("#image-list") });
  if (!done) return;
  product.images = product.images.filter((i) => i.id !== image.id);
  render();
  toast(t("images.deleted"), { near: $("#image-list") });
}

export function initImages() {
  $("#image-input").addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = "";
    if (product && files.length) upload(files);
  });
}

export function showImages(p) {
  product = p ? { id: p.id, images: [...p.images] } : null;
  uploading.length = 0;
  $("#images-later").hidden = Boolean(p);
  $("#images-controls").hidden = !p;
  render();
  schedulePoll();
}
