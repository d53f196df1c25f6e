// Strings of an incubatee's own page (/incubation/mine/).
import "app/strings/incubation.js";
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "mine.title": "我的孵化档案",
    "mine.empty": "你还不是孵化对象。申请入孵请联系县电商公共服务中心。",
  },
  en: {
    "mine.title": "My incubation card",
    "mine.empty": "You are not an incubatee yet. To apply, contact the county's e-commerce service centre.",
  },
});
