// Strings of the merchant console shared by its pages (products, orders).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "status.draft": "草稿",
    "status.on_sale": "在售",
    "status.off_sale": "已下架",
    "status.recalled": "已召回",
    "geo.dissolved_name": "{name}（已撤并）",
    "merchant.seller_line": "所属商家：{name}",
  },
  en: {
    "status.draft": "Draft",
    "status.on_sale": "On sale",
    "status.off_sale": "Off sale",
    "status.recalled": "Recalled",
    "geo.dissolved_name": "{name} (dissolved)",
    "merchant.seller_line": "Seller: {name}",
  },
});
