// Selling in the room: coupons to claim, flash sales with their countdown ("sold out" when gone),
// lotteries to enter with their result and the draw's proof, and the buy sheet the card and
// the bag open in place (the session's live price, a coupon, the consignee), which checks out
// through /api/v1/promotions/checkouts with the session as the source.
import "app/strings/live-watch.js";
import "app/strings/shop-cart.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { money } from "app/lib/format.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { loginUrl } from "app/lib/shell.js";

const left = (iso) => Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
const clock = (s) => `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;

export function promoView(sessionId, me) {
  const state = { coupons: [], flashes: [], lotteries: [], item: null, flash: null };
  const base = `/promotions/sessions/${sessionId}`;

  const needLogin = () => { if (!me) location.href = loginUrl(); return !me; };

  async function claim(coupon, button) {
    if (needLogin()) return;
    const grant = await guarded(() => api(`/promotions/coupons/${coupon.id}/claim`, { method: "POST" }), { near: button });
    if (grant) { toast(t("watch.claimed"), { near: button }); load(); }
  }

  async function enter(lottery, button) {
    if (needLogin()) return;
    if (await guarded(() => api(`/promotions/lotteries/${lottery.id}/enter`, { method: "POST" }), { near: button })) {
      toast(t("watch.entered"), { near: button });
    }
  }

  function draw() {
    $("#watch-promos").hidden = !(state.coupons.length || state.flashes.length || state.lotteries.length);
    $("#watch-coupons").replaceChildren(...state.coupons.map((c) => el("li", { "data-coupon": c.id },
      el("span", { class: "title" }, c.name),
      el("span", { class: "muted" }, t("watch.coupon_left", { n: c.left })),
      c.left > 0 ? el("button", { type: "button", class: "accent", "data-action": "claim",
        onclick: (e) => claim(c, e.currentTarget) }, t("watch.claim")) : el("span", { class: "status" }, t("watch.sold_out")))));
    $("#watch-flashes").replaceChildren(...state.flashes.map((f) => el("li", { "data-flash": f.id },
      el("span", { class: "title" }, t("watch.flash", { price: money(f.price) })),
      f.left > 0 && left(f.ends_at) > 0
        ? [el("span", { class: "muted countdown", "data-ends": f.ends_at }, clock(left(f.ends_at))),
          el("button", { type: "button", class: "accent", "data-action": "flash", onclick: () => open(null, f) }, t("watch.flash_buy"))]
        : el("span", { class: "status sold-out" }, t(f.left > 0 ? "watch.flash_ended" : "watch.sold_out")))));
    $("#watch-lotteries").replaceChildren(...state.lotteries.map((x) => el("li", { "data-lottery": x.id },
      el("span", { class: "title" }, x.title),
      x.drawn ? el("a", { href: `/api/v1/promotions/lotteries/${x.id}/proof`, target: "_blank" }, t("watch.lottery_proof"))
        : x.entry_kind === "keyword" ? el("span", { class: "muted" }, t("watch.lottery_keyword", { keyword: x.keyword }))
          : [el("span", { class: "muted" }, t(x.entry_kind === "follow" ? "watch.lottery_follow" : "watch.lottery_like")),
            el("button", { type: "button", "data-action": "enter", onclick: (e) => enter(x, e.currentTarget) }, t("watch.lottery_enter"))])));
  }

  async function load() {
    const answers = await Promise.all([api(`${base}/coupons`, { fresh: true }), api(`${base}/flash-sales`, { fresh: true }),
      api(`${base}/lotteries`, { fresh: true })]).catch(() => null);
    if (!answers) return;
    [state.coupons, state.flashes, state.lotteries] = answers;
    draw();
  }

  function choose(item, choices) {
    state.item = item;
    $("#watch-buy-title").textContent = `${item.title} ${item.spec}`;
    $("#watch-buy-price").textContent = money(item.live_price);
    const specs = $("#watch-buy-specs");
    specs.hidden = choices.length < 2;
    specs.replaceChildren(...choices.map((c) => el("button", { type: "button", class: "chip",
      "data-sku": c.sku_id, "aria-pressed": String(c.item_id === item.item_id),
      onclick: () => choose(c, choices) }, c.spec)));
  }

  async function open(item, flash, choices = []) {
    if (needLogin()) return;
    state.item = item;
    state.flash = flash;
    $("#watch-buy").hidden = false;
    if (item) choose(item, choices.length ? choices : [item]);
    else {
      $("#watch-buy-specs").hidden = true;
      $("#watch-buy-title").textContent = t("watch.flash", { price: money(flash.price) });
      $("#watch-buy-price").textContent = money(flash.price);
    }
    const grants = flash ? [] : await api("/promotions/my-coupons", { fresh: true }).catch(() => []);
    $("#watch-buy-coupon").replaceChildren(el("option", { value: "" }, t("cart.coupon_none")),
      ...grants.map((g) => el("option", { value: String(g.id) }, g.coupon.name)));
    $("#watch-buy-coupon-box").hidden = !grants.length;
    $("#watch-buy").scrollIntoView({ block: "nearest" });
  }

  function submit(event) {
    event.preventDefault();
    const f = event.target.elements;
    const consignee = { name: f.name.value.trim(), phone: f.phone.value.trim(), address: f.address.value.trim() };
    const key = `w${sessionId}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    const quantity = Number(f.quantity.value) || 1;
    const send = () => (state.flash
      ? api(`/promotions/flash-sales/${state.flash.id}/buy`, { method: "POST", body: { idempotency_key: key, quantity, consignee } })
      : api("/promotions/checkouts", { method: "POST", body: { idempotency_key: key, session_id: sessionId, consignee,
        items: [{ sku_id: state.item.sku_id, quantity }], grant_ids: f.coupon.value ? [Number(f.coupon.value)] : [],
        return_url: "/shop/orders/" } }));
    submitForm(event.target, send).then((placed) => { if (placed) location.href = placed.pay_url || "/shop/orders/"; });
  }

  $("#watch-buy").addEventListener("submit", submit);
  setInterval(() => document.querySelectorAll("#watch-flashes .countdown").forEach((node) => {
    node.textContent = clock(left(node.dataset.ends));
  }), 1000);
  return { load, open, onFrame: () => load() };
}
