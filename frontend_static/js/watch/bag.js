// The product bag (xiaohuangche) and the card of the product being explained. The bag comes from
// /api/v1/audience/sessions/<id>/bag; live.card and live.explain frames keep it current. Buying
// from the card or the bag opens the buy sheet in place (watch/promos.js), at the live price.
import "app/strings/live-watch.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";

const productUrl = (item) => `/shop/product/?id=${item.product_id}`;

export function bagView(sessionId, buy) {
  let items = [];
  // The buy sheet offers the other specs of the same product in the bag (the SKU choice).
  const onBuy = (item) => buy(item, items.filter((i) => i.product_id === item.product_id && i.state !== "sold_out"));

  function card() {
    const item = items.find((i) => i.state === "explaining");
    const box = $("#watch-card");
    box.hidden = !item;
    if (!item) return;
    box.href = productUrl(item);
    box.dataset.product = item.product_id;
    box.onclick = (event) => { event.preventDefault(); onBuy(item); }; // the SKU choice, in place
    $("#watch-card-title").textContent = item.title;
    $("#watch-card-price").textContent = money(item.live_price);
    const img = $("#watch-card-img");
    img.hidden = !item.thumb_url;
    if (item.thumb_url) img.src = item.thumb_url;
  }

  function draw() {
    items.sort((a, b) => a.position - b.position || a.item_id - b.item_id);
    const list = $("#watch-bag-list");
    list.replaceChildren(...(items.length ? items.map((item, n) => el("li",
      { "data-item": item.item_id, "data-product": item.product_id, "data-state": item.state },
      item.thumb_url && el("img", { src: item.thumb_url, alt: "", class: "thumb" }),
      el("span", { class: "title" }, `${n + 1}. ${item.title}`),
      el("span", { class: "muted" }, item.spec),
      el("span", { class: "price" }, money(item.live_price)),
      el("span", { class: "status" }, t(`watch.item.${item.state}`)),
      item.state !== "sold_out" && el("button", { type: "button", class: "accent", "data-action": "buy",
        onclick: () => onBuy(item) }, t("watch.buy_now")),
    )) : [el("li", { class: "empty" }, t("watch.bag_empty"))]));
    $("#watch-bag-count").textContent = String(items.length);
    $("#watch-bag-badge").textContent = String(items.length);
    card();
  }

  async function load() {
    items = await api(`/audience/sessions/${sessionId}/bag`, { fresh: true });
    draw();
  }

  return {
    set(list) { items = list; draw(); },
    load,
    // A card moved: its state and price; a card we do not know yet reloads the bag.
    onCard(p) {
      const item = items.find((i) => i.item_id === p.item_id);
      if (!item) { load(); return; }
      item.state = p.state;
      item.live_price = p.live_price;
      item.position = p.position;
      if (p.state === "hidden") items = items.filter((i) => i !== item);
      draw();
    },
    onExplain(p) {
      const item = items.find((i) => i.item_id === p.item_id);
      if (!item) { load(); return; }
      if (p.ended_at) {
        if (item.state === "explaining") item.state = "listed";
      } else {
        items.forEach((i) => { if (i.state === "explaining") i.state = "listed"; });
        item.state = "explaining";
      }
      draw();
    },
  };
}
