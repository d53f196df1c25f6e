// 订单管理 (/merchant/orders/): the list (#) and one order (#order/ID). Merchants act on
// their organisations' orders; office staff and admins see every order, read-only (the API
// answers 404 to their actions, so the buttons are not offered).
import { api, guarded } from "app/api.js";
import { shell } from "app/shell.js";
import { initDetail, showOrder } from "app/merchant/orders-detail.js";
import { initList, renderList } from "app/merchant/orders-list.js";

const $ = (id) => document.getElementById(id);

async function route() {
  const match = location.hash.match(/^#order\/(\d+)$/);
  $("list-view").hidden = Boolean(match);
  $("detail-view").hidden = !match;
  document.body.dataset.view = match ? "detail" : "list";
  if (match) await showOrder(match[1]);
  else await renderList();
  window.scrollTo(0, 0);
}

async function main() {
  const me = await shell();
  if (!me) return;
  delete document.body.dataset.ready;
  const canAct = me.roles.includes("merchant");
  $("read-only").hidden = canAct;
  const loaded = await guarded(() => Promise.all([
    api("/orders/couriers"),
    api("/geo/townships", { query: { limit: 200 } }),
  ]));
  if (!loaded) return;
  const [couriers, townships] = loaded;
  initList(townships.items);
  initDetail({ couriers, canAct });
  $("back-to-list").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "1";
  document.body.dataset.canAct = String(canAct);
}

main();
