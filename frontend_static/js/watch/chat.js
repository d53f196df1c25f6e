// The room's chat, counts, pinned comment and order ticker, from the frames of
// /ws/live/<id>/ (docs/live-room-socket.md). Signed-in viewers comment and report.
import "app/strings/live-watch.js";
import { $, el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";

const CHAT_KEEP = 100;

export function chatView(room) {
  const comments = new Map();

  function counts(likes, viewers) {
    $("#watch-likes").textContent = t("watch.likes", { n: likes });
    $("#watch-viewers").textContent = t("watch.viewers", { n: viewers });
  }

  function add(c, { mine = false, visible = true } = {}) {
    if (comments.has(c.id)) return;
    const report = room.me && !mine && el("button", {
      type: "button", class: "link", "data-action": "report",
      onclick: () => room.socket.send({ type: "live.report", payload: { comment_id: c.id, reason: "" } }),
    }, t("watch.report"));
    const row = el("li", { "data-id": c.id }, el("b", {}, c.name), " ", el("span", { class: "text" }, c.text),
      !visible && el("span", { class: "muted" }, t("watch.only_you")), report);
    comments.set(c.id, row);
    const list = $("#watch-chat");
    list.append(row);
    while (list.children.length > CHAT_KEEP) {
      comments.delete(Number(list.firstChild.dataset.id));
      list.firstChild.remove();
    }
    list.scrollTop = list.scrollHeight;
  }

  function pin(comment) {
    const box = $("#watch-pinned");
    box.hidden = !comment;
    box.textContent = comment ? t("watch.pinned", { name: comment.name, text: comment.text }) : "";
  }

  function switches(p) {
    const notes = [p.muted_all && t("watch.muted_all"), p.slow_mode_s && t("watch.slow_mode", { s: p.slow_mode_s })];
    $("#watch-error").hidden = !notes.some(Boolean);
    $("#watch-error").textContent = notes.filter(Boolean).join(" · ");
  }

  function ticker(orders) {
    if (!orders) return;
    $("#watch-ticker").textContent = orders.text;
    $("#watch-ticker").hidden = false;
  }

  return {
    hello(p) {
      counts(p.likes, p.viewers);
      p.comments.forEach((c) => add(c));
      pin(p.pinned);
      switches(p);
      room.canComment = p.can_comment;
      $("#watch-login").hidden = p.can_comment;
    },
    tick(p) { counts(p.likes, p.viewers); p.comments.forEach((c) => add(c)); ticker(p.orders); },
    sent(p) { add(p.comment, { mine: true, visible: p.visible }); },
    hidden(p) { const row = comments.get(p.comment_id); if (row) row.remove(); },
    pin,
    switches,
  };
}
