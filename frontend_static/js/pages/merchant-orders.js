// The merchant's orders (/merchant/orders/): the list (#) and one order (#order/ID).
// Merchants act on their organisations' orders; office staff and admins see every order,
// read-only (the API answers 404 to their actions, so the buttons are not offered).
import "app/strings/merchant-orders.js";
import { api } from "app/lib/api.js";
import { $ } from "app/lib/dom.js";
import { guarded } from "app/lib/notice.js";
import { start } from "app/lib/shell.js";
import { initDetail, showOrder } from "app/merchant/orders-detail.js";
import { initList, renderList } from "app/merchant/orders-list.js";

async function route() {
  const match = location.hash.match(/^#order\/(\d+)$/);
  $("#list-view").hidden = Boolean(match);
  $("#detail-view").hidden = !match;
  document.body.dataset.view = match ? "detail" : "list";
  if (match) await showOrder(match[1]);
  else await renderList();
  window.scrollTo(0, 0);
}

start(async (me) => {
  const canAct = me.roles.includes("merchant");
  $("#read-only").hidden = canAct;
  const loaded = await guarded(() => Promise.all([
    api("/orders/couriers"),
    api("/geo/townships", { query: { limit: 200 } }),
  ]));
  if (!loaded) return;
  const [couriers, townships] = loaded;
  initList(townships.items);
  initDetail({ couriers, canAct });
  $("#back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.canAct = String(canAct);
});
