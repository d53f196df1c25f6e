// The session's audience for its streamer and assistants: reminders, followers, and
// followers gained on this session's watch page (/api/v1/audience/sessions/<id>/figures).
import "app/strings/studio.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";

export async function showAudience(id) {
  const figures = await api(`/audience/sessions/${id}/figures`, { fresh: true }).catch(() => null);
  const line = $("#session-audience");
  line.hidden = !figures;
  if (figures) line.textContent = t("studio.audience", figures);
}
