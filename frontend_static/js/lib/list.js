// A paged, filtered list: the filter form's values go to `load` with limit and offset; the
// rows replace the list (or are appended, for "load more"); the summary and the pager
// (previous/next buttons made in the `pager` element, hidden when one page holds all)
// follow the answer. Changing a filter starts again at the first page.
import "app/strings/common.js";
import { el } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { guarded } from "app/lib/notice.js";

export function formValues(form) {
  const values = {};
  if (form) new FormData(form).forEach((value, name) => {
    const text = String(value).trim();
    if (text) values[name] = text;
  });
  return values;
}

export function pagedList({ list, load, row, empty, form = null, summary = null, summaryKey = "list.summary",
  pager = null, more = null, pageSize = 20, onQuery = () => {} }) {
  let offset = 0;
  const prev = pager && el("button", { type: "button", id: "page-prev" }, t("list.prev"));
  const next = pager && el("button", { type: "button", id: "page-next" }, t("list.next"));
  if (pager) pager.replaceChildren(prev, next);

  async function render({ append = false } = {}) {
    const values = formValues(form);
    onQuery(values);
    const page = await guarded(() => load({ ...values, limit: pageSize, offset }));
    if (!page) return null;
    const rows = page.items.map(row);
    if (append) list.append(...rows);
    else list.replaceChildren(...(rows.length ? rows : [el("li", { class: "empty muted" }, empty)]));
    const last = Math.min(page.offset + page.items.length, page.total);
    if (summary) {
      summary.textContent = page.total ? t(summaryKey, { total: page.total, from: page.offset + 1, to: last }) : "";
    }
    if (prev) prev.disabled = page.offset === 0;
    if (next) next.disabled = last >= page.total;
    if (pager) pager.hidden = page.total <= pageSize;
    if (more) more.hidden = last >= page.total;
    return page;
  }

  const again = () => { offset = 0; return render(); };
  if (form) {
    form.addEventListener("submit", (event) => { event.preventDefault(); again(); });
    form.querySelectorAll("select, input[type=date]").forEach((input) => input.addEventListener("change", again));
  }
  if (prev) prev.addEventListener("click", () => { offset = Math.max(0, offset - pageSize); render(); });
  if (next) next.addEventListener("click", () => { offset += pageSize; render(); });
  if (more) more.addEventListener("click", () => { offset += pageSize; render({ append: true }); });
  return { render, again };
}
