// An incubatee's card (figures, trend chart, milestones, sessions, pipeline history), shown
// by the office's view and on the incubatee's own page. cardView(c) gives the element and
// draw(), to call once it is in the page (the chart needs its size).
import "app/strings/incubation.js";
import { chart } from "app/lib/chart.js";
import { el } from "app/lib/dom.js";
import { date, decimal, money } from "app/lib/format.js";
import { t } from "app/lib/i18n.js";

function milestoneLine(m) {
  const head = t("inc.ms_head", { name: m.name, required: m.required_for_graduation ? t("inc.ms_required") : "" });
  const value = m.rule === "gmv" ? money : (v) => decimal(v);
  const parts = [m.met_at
    ? t("inc.ms_met", { date: date(m.met_at), then: value(m.value_then) })
    : t("inc.ms_open", { value: value(m.value), threshold: value(m.threshold) })];
  if (m.met_at && !m.holds) parts.push(t("inc.ms_changed", { value: value(m.value) }));
  return el("li", { "data-milestone": m.key, "data-met": m.met_at ? "yes" : "no" }, head, parts.join(t("inc.sep")));
}

const figure = (key, value) => [el("dt", {}, t(key)), el("dd", { "data-figure": key }, String(value))];
const listOr = (items) => (items.length ? items : [el("li", { class: "muted" }, t("inc.empty"))]);

function chartOption(c) {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("inc.chart_gmv"), t("inc.chart_sessions")] },
    grid: { left: 48, right: 32, top: 40, bottom: 28 },
    xAxis: { type: "category", data: c.trend.map((m) => m.month) },
    yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
    series: [
      { name: t("inc.chart_gmv"), type: "bar", data: c.trend.map((m) => Number(m.gmv)) },
      { name: t("inc.chart_sessions"), type: "line", yAxisIndex: 1, data: c.trend.map((m) => m.sessions) },
    ],
  };
}

export function cardView(c, { onClose = null } = {}) {
  const plot = el("div", { class: "inc-chart" });
  const node = el("section", { class: "card inc-card", "data-card": c.id },
    el("div", { class: "row inc-card-head" }, el("h2", {}, `${c.name} · ${t(`inc.stage.${c.stage}`)}`),
      onClose ? el("button", { type: "button", class: "link", id: "card-close", onclick: onClose }, t("inc.close")) : null),
    el("p", { class: "muted" }, t("inc.meta", { kind: t(`inc.kind.${c.kind}`), township: c.township || "—",
      village: c.village ? ` ${c.village}` : "", mentor: c.mentor || "—", phone: c.contact_phone_masked || "—" })),
    el("dl", { class: "inc-figures" }, ...figure("inc.f.sessions", c.sessions), ...figure("inc.f.orders", c.orders),
      ...figure("inc.f.gmv", money(c.gmv)), ...figure("inc.f.refunded", money(c.refunded)),
      ...figure("inc.f.viewers", c.peak_viewers), ...figure("inc.f.stores", c.stores_bound),
      ...figure("inc.f.training", c.training)),
    plot,
    el("h3", {}, t("inc.milestones")),
    el("ul", { class: "inc-list" }, ...listOr(c.milestones.map(milestoneLine))),
    el("h3", {}, t("inc.sessions")),
    el("ul", { class: "inc-list" }, ...listOr(c.recent_sessions.map((s) => el("li", {},
      t("inc.session_line", { date: date(s.started_at), title: s.title, orders: s.orders, gmv: money(s.gmv) }))))),
    el("h3", {}, t("inc.moves")),
    el("ul", { class: "inc-list" }, ...listOr(c.moves.map((m) => el("li", {}, t("inc.move_line", {
      date: date(m.at), from: m.from_stage ? t(`inc.stage.${m.from_stage}`) : "—",
      to: t(`inc.stage.${m.to_stage}`), reason: m.reason || "—" }))))));
  return { node, draw: () => chart(plot, chartOption(c)) };
}
