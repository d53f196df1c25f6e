// Strings of the storefront grid (/shop/).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "shop.title": "沁水好物",
    "shop.search_hint": "搜索商品或品牌",
    "shop.all_categories": "全部",
    "shop.search": "搜索",
    "shop.empty": "没有找到在售商品",
    "shop.more": "加载更多",
    "shop.price_from": "{price} 起",
    "shop.categories": "商品分类",
  },
  en: {
    "shop.title": "Qinshui goods",
    "shop.search_hint": "Search products or brands",
    "shop.all_categories": "All",
    "shop.search": "Search",
    "shop.empty": "Nothing on sale matches",
    "shop.more": "Load more",
    "shop.price_from": "from {price}",
    "shop.categories": "Categories",
  },
});
