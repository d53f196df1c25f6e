// Strings of the office's specialty stores (/office/stores/).
import "app/strings/stores.js";
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "ostores.title": "线上特产馆",
    "ostores.platform": "平台",
    "ostores.shop": "店铺",
    "ostores.owner": "所属商家",
    "ostores.status": "状态",
    "ostores.listed": "在售商品",
    "ostores.last_sync": "最近同步",
    "ostores.count": "正常运营的线上特产馆：{n} 家（规划目标：不少于 3 家）",
    "ostores.empty": "还没有网店。",
  },
  en: {
    "ostores.title": "Online specialty stores",
    "ostores.platform": "Platform",
    "ostores.shop": "Store",
    "ostores.owner": "Owner",
    "ostores.status": "Status",
    "ostores.listed": "Listed",
    "ostores.last_sync": "Last sync",
    "ostores.count": "Active online specialty stores: {n} (plan target: at least 3)",
    "ostores.empty": "No store yet.",
  },
});
