// The office's incubation view (/office/incubation/): the plan's goals counted from the
// records, the pipeline board (a move needs a reason), and each incubatee's card.
import "app/strings/office-incubation.js";
import { cardView } from "app/incubation/card.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { decimal, money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";
import { guarded, toast } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";

const STAGES = ["applied", "admitted", "in_incubation", "graduated", "withdrawn"];
let cardChart = null;

function goalRow(g) {
  const figure = g.target == null
    ? t("inc.goal_count", { actual: g.actual, unit: g.unit })
    : t("inc.goal_figure", { actual: g.actual, target: decimal(g.target), unit: g.unit });
  const share = g.target ? Math.min(100, (100 * g.actual) / Number(g.target)) : 0;
  const towns = Object.entries(g.by_township).map(([name, n]) => `${name} ${n}`).join(t("inc.sep"));
  const months = g.monthly.slice(-3).map(([m, n]) => `${m}: ${n}`).join(t("inc.sep"));
  return el("li", { "data-goal": g.key },
    el("div", { class: "row wrap" }, el("strong", {}, g.name),
      el("span", { class: `goal-figure${g.met ? " goal-met" : ""}`, "data-actual": g.actual }, figure),
      g.met == null ? null : el("span", { class: "muted" }, t(g.met ? "inc.goal_met" : "inc.goal_open"))),
    g.target ? el("div", { class: "goal-bar" }, el("span", { style: `width:${share}%` })) : null,
    el("div", { class: "muted" }, g.wording),
    el("div", { class: "muted goal-counts" }, t("inc.counts", { rule: g.counts })),
    towns ? el("div", { class: "muted" }, t("inc.by_township", { list: towns })) : null,
    months ? el("div", { class: "muted" }, t("inc.team_months", { list: months })) : null);
}

async function loadGoals() {
  const goals = await guarded(() => api("/incubation/goals", { fresh: true }));
  if (goals) $("#goal-list").replaceChildren(...goals.map(goalRow));
}

function moveDialog(item, to) {
  return new Promise((resolve) => {
    const reason = el("textarea", { name: "reason", id: "move-reason", rows: 2, maxlength: 200, required: true });
    const dialog = el("dialog", { class: "confirm inc-move", id: "move-dialog" },
      el("form", { method: "dialog" },
        el("p", {}, t("inc.move_title", { name: item.name, from: t(`inc.stage.${item.stage}`), to: t(`inc.stage.${to}`) })),
        el("label", {}, el("span", {}, t("inc.move_reason")), reason),
        el("div", { class: "row confirm-buttons" },
          el("button", { value: "cancel", id: "move-cancel", formnovalidate: true }, t("inc.move_cancel")),
          el("button", { value: "ok", id: "move-ok", class: "primary" }, t("inc.move_submit")))));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok" ? reason.value.trim() : null);
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

async function move(item, to, button) {
  const reason = await moveDialog(item, to);
  if (!reason) return;
  const card = await guarded(() => api(`/incubation/incubatees/${item.id}/move`, {
    method: "POST", body: { to, reason } }), { near: button });
  if (!card) return;
  toast(t("inc.moved", { stage: t(`inc.stage.${card.stage}`) }), { near: button });
  await Promise.all([loadBoard(), loadGoals()]);
}

function boardItem(item) {
  return el("article", { class: "inc-item", "data-incubatee": item.id, "data-stage": item.stage },
    el("button", { type: "button", class: "link inc-open", onclick: () => openCard(item.id) }, item.name),
    el("div", { class: "muted" }, `${t(`inc.kind.${item.kind}`)} · ${item.township || "—"}`),
    el("div", {}, t("inc.item_figures", { sessions: item.sessions, gmv: money(item.gmv) })),
    el("div", { class: "row" }, ...item.allowed.map((to) => el("button", {
      type: "button", "data-move": to, onclick: (e) => move(item, to, e.currentTarget) }, t("inc.move_to", { stage: t(`inc.stage.${to}`) })))));
}

async function loadBoard() {
  const items = await guarded(() => api("/incubation/board", { fresh: true }));
  if (!items) return;
  $("#board").replaceChildren(...STAGES.map((stage) => {
    const mine = items.filter((i) => i.stage === stage);
    return el("section", { class: "inc-column", "data-column": stage },
      el("h2", {}, `${t(`inc.stage.${stage}`)} (${mine.length})`),
      ...(mine.length ? mine.map(boardItem) : [el("p", { class: "muted" }, t("inc.empty"))]));
  }));
}

async function openCard(id) {
  const c = await guarded(() => api(`/incubation/incubatees/${id}`, { fresh: true }));
  if (!c) return;
  if (cardChart) cardChart.dispose();
  const view = cardView(c, { onClose: () => { $("#inc-card").replaceChildren(); } });
  $("#inc-card").replaceChildren(view.node);
  cardChart = view.draw();
  view.node.scrollIntoView({ behavior: "smooth", block: "start" });
}

const listOr = (items) => (items.length ? items : [el("li", { class: "muted" }, t("inc.empty"))]);

async function loadClustersAndTeam() {
  const [clusters, team] = await Promise.all([
    guarded(() => api("/incubation/clusters")), guarded(() => api("/incubation/team"))]);
  if (clusters) {
    $("#cluster-list").replaceChildren(...listOr(clusters.map((c) => el("li", { "data-cluster": c.id },
      t("inc.cluster_line", { name: c.name, kind: t(`inc.cluster.${c.kind}`), township: c.township || "—",
        members: c.members.join(t("inc.sep")) || t("inc.empty") })))));
  }
  if (team) {
    $("#team-list").replaceChildren(...listOr(team.map((m) => el("li", { "data-member": m.id },
      t("inc.team_line", { name: m.name, role: m.role, phone: m.phone_masked || "—",
        start: m.start, end: m.end || t("inc.until_now") })))));
  }
}

start(async () => {
  await Promise.all([loadGoals(), loadBoard(), loadClustersAndTeam()]);
});
