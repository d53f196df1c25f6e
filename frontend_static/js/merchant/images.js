// A product's images: upload (each file shows its processing state, polled until the media
// queue has made the variants), reorder with up/down, delete.
import { api, guarded } from "app/api.js";
import { t } from "app/i18n.js";
import { el } from "app/shell.js";

const $ = (id) => document.getElementById(id);
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
    t(`image.status.${status}`), error ? `：${error}` : "");
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
  $("image-list").replaceChildren(
    ...images.map((image, i) => imageItem(image, i, images.length)),
    ...uploading.map((u) => el("li", { class: "image-item uploading", "data-status": u.status },
      el("span", { class: "variant placeholder", "aria-hidden": "true" }, "…"),
      el("div", { class: "image-info" }, el("span", {}, u.name), stateLabel(u.status, u.error)))));
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
    const image = await guarded(() => api(`/catalog/products/${id}/images`, { method: "POST", body }));
    uploading.splice(uploading.indexOf(entry), 1);
    if (!product || product.id !== id) return;
    if (image) product.images.push(image);
    else uploading.push({ ...entry, status: "upload_failed", error: $("error-banner").textContent });
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
  if (!window.confirm(t("images.confirm_delete"))) return;
  const done = await guarded(() => api(`/catalog/products/${product.id}/images/${image.id}`,
    { method: "DELETE" }).then(() => true));
  if (done) { product.images = product.images.filter((i) => i.id !== image.id); render(); }
}

export function initImages() {
  $("image-input").addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = "";
    if (product && files.length) upload(files);
  });
}

export function showImages(p) {
  product = p ? { id: p.id, images: [...p.images] } : null;
  uploading.length = 0;
  $("images-card").hidden = !p;
  render();
  schedulePoll();
}
