"""Items in each platform's shape, for the connector tests and the benchmark."""

from __future__ import annotations

from decimal import Decimal

from shop_connectors.models import Item, JdMapping, PddMapping, Sku, TaobaoMapping


def make_item(platform: str, outer_id: str = "QS-MILLET", skus: int = 2) -> Item:
    sku_list = tuple(
        Sku(outer_id=f"{outer_id}-{n}", price=Decimal("19.90") + n, stock=10 + n)
        for n in range(skus)
    )
    mapping: TaobaoMapping | PddMapping | JdMapping
    if platform == "taobao":
        mapping = TaobaoMapping(
            cid=50016422,
            location_state="山西",
            location_city="晋城",
            sku_properties={s.outer_id: f"1627207:{3000 + n}" for n, s in enumerate(sku_list)},
        )
    elif platform == "pinduoduo":
        mapping = PddMapping(
            cat_id=8439,
            cost_template_id=321,
            sku_specs={s.outer_id: ((1215, f"{500 * (n + 1)}g"),) for n, s in enumerate(sku_list)},
            images=(b"\x89PNG-sandbox-image",),
        )
    else:
        mapping = JdMapping(
            category_id=12202,
            sku_sale_attrs={
                s.outer_id: ((1001, f"{500 * (n + 1)}g"),) for n, s in enumerate(sku_list)
            },
        )
    return Item(
        outer_id=outer_id,
        title="沁水小米 黄小米 新米",
        description="沁水县端氏镇小米",
        skus=sku_list,
        mapping=mapping,
        image_urls=("https://img.example.invalid/millet.jpg",),
    )
