// The judge's phone page (/events/judge/): each assigned contest's entries, one form per
// entry and criterion; a score once, then a correction with a reason. Recused entries are
// shown without a form.
import "app/strings/events.js";
import { api } from "app/lib/api.js";
import { $, el } from "app/lib/dom.js";
import { submitForm } from "app/lib/form.js";
import { t } from "app/lib/i18n.js";
import { setTitle, start } from "app/lib/shell.js";

function criterionForm(contest, entry, criterion, reload) {
  const given = entry.scores[criterion];
  const form = el("form", { class: "row wrap", "data-criterion": criterion, novalidate: true },
    el("label", {}, t(`events.criterion.${criterion}`),
      given != null && el("b", { class: "given", "data-given": given }, ` ${given}`)),
    el("input", { name: "score", type: "number", min: "0", max: String(contest.score_max), step: "0.5",
      inputmode: "decimal", placeholder: `0–${contest.score_max}`,
      "aria-label": t("events.judge.score", { max: contest.score_max }), required: true }),
    given != null && el("input", { name: "reason", placeholder: t("events.judge.reason"), maxlength: "200" }),
    el("button", { type: "submit", class: "primary" }, t(given != null ? "events.judge.correct" : "events.judge.save")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { entry_id: entry.id, criterion, score: form.score.value || "-1",
      reason: form.reason ? form.reason.value : "" };
    const done = await submitForm(form, () => api("/campaigns/judging/scores", { method: "POST", body }),
      { success: t("events.judge.saved") });
    if (done) await reload();
  });
  return form;
}

function entryCard(contest, entry, reload) {
  return el("section", { class: "card judge-entry", "data-entry": entry.id },
    el("h3", {}, entry.name, entry.recused && el("span", { class: "badge" }, ` ${t("events.judge.recused")}`)),
    entry.recused ? null : contest.criteria.map((c) => criterionForm(contest, entry, c, reload)));
}

async function load() {
  const contests = await api("/campaigns/judging", { fresh: true });
  $("#judge-contests").replaceChildren(...(contests.length ? contests.map((contest) =>
    el("div", { "data-contest": contest.campaign_id }, el("h2", {}, contest.title),
      el("p", { class: "muted", "data-scale": contest.score_max },
        t("events.judge.scale", { max: contest.score_max })),
      contest.entries.map((entry) => entryCard(contest, entry, load))))
    : [el("p", { class: "muted" }, t("events.judge.none"))]));
}

start(async () => {
  setTitle(t("events.judge.title"));
  await load();
});
