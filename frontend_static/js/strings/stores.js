// Strings shared by the two stores pages (/merchant/stores/ and /office/stores/).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "store.never": "从未",
    "store.platform.taobao": "淘宝",
    "store.platform.pinduoduo": "拼多多",
    "store.platform.jd": "京东",
    "store.status.active": "正常",
    "store.status.reauthorise": "需要重新授权",
    "store.status.paused": "已暂停",
  },
  en: {
    "store.never": "never",
    "store.platform.taobao": "Taobao",
    "store.platform.pinduoduo": "Pinduoduo",
    "store.platform.jd": "JD",
    "store.status.active": "Active",
    "store.status.reauthorise": "Needs re-authorisation",
    "store.status.paused": "Paused",
  },
});
