// Strings of one product in the storefront (/shop/product/).
import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "shop.choose_spec": "选择规格",
    "shop.add_to_cart": "加入购物车",
    "shop.buy_now": "立即购买",
    "shop.added": "已加入购物车",
    "shop.added_clamped": "数量需在 1 到 {max} 之间，已按 {n} 件加入购物车",
    "shop.seller": "商家：{name}",
    "shop.list_price": "原价 {price}",
    "shop.choose_first": "请先选择规格",
    "shop.stock.in_stock": "有货",
    "shop.stock.low": "库存紧张",
    "shop.stock.out": "已售罄",
    "shop.not_found": "这件商品已下架或不存在",
    "shop.product": "商品详情",
    "shop.videos": "直播讲解",
    "shop.video_download": "下载视频",
  },
  en: {
    "shop.choose_spec": "Choose a spec",
    "shop.add_to_cart": "Add to cart",
    "shop.buy_now": "Buy now",
    "shop.added": "Added to the cart",
    "shop.added_clamped": "Quantities go from 1 to {max}; {n} added to the cart",
    "shop.seller": "Seller: {name}",
    "shop.list_price": "Was {price}",
    "shop.choose_first": "Choose a spec first",
    "shop.stock.in_stock": "In stock",
    "shop.stock.low": "Few left",
    "shop.stock.out": "Sold out",
    "shop.not_found": "This product is off sale or does not exist",
    "shop.product": "Product",
    "shop.videos": "From the live stream",
    "shop.video_download": "Download",
  },
});
