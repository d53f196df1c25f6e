// An incubatee's own page (/incubation/mine/): their card(s), read only, the same figures
// the office sees (each computed from their sessions, orders and stores).
import "app/strings/incubation-mine.js";
import { cardView } from "app/incubation/card.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { guarded } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";

start(async () => {
  const cards = await guarded(() => api("/incubation/mine", { fresh: true }));
  if (!cards) return;
  $("#mine-empty").hidden = cards.length > 0;
  const views = cards.map((c) => cardView(c));
  $("#mine-cards").replaceChildren(...views.map((v) => v.node));
  views.forEach((v) => v.draw());
});
