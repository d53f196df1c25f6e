"""Demo catalogue: the county's goods under the public brand 沁水 and the plan's three quality
brands (沁水蜂蜜, 沁水山珍, 沁水杂粮). Prices, licences and grading texts are samples (示例)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from backend.accounts.models import Membership, Organisation, User
from backend.catalog.demo_images import draw_product_image
from backend.catalog.models import Brand, Category, PackagingStandard, Product, ProductStatus
from backend.catalog.services import product_create, product_set_status
from backend.catalog.services_images import image_add, image_derive
from backend.geo.models import Township

BRANDS = [
    ("沁水", Brand.Kind.PUBLIC, "县域公共品牌"),
    ("沁水蜂蜜", Brand.Kind.QUALITY, "优质农产品品牌（实施方案）"),
    ("沁水山珍", Brand.Kind.QUALITY, "优质农产品品牌（实施方案）"),
    ("沁水杂粮", Brand.Kind.QUALITY, "优质农产品品牌（实施方案）"),
]
CATEGORIES = ["蜂蜜", "小米", "山珍", "杂粮"]
STANDARDS = [
    (
        "QS-FM-01",
        "刺槐蜂蜜分级包装（示例）",
        "特级",
        "符合 GB 14963：果糖和葡萄糖≥60 g/100 g，蔗糖≤5 g/100 g；色泽水白，结晶细腻",
        "玻璃瓶 250 g / 500 g / 1 kg，防漏内盖，外箱防震",
        "沁水刺槐蜂蜜 特级 · 产地 沁水县",
    ),
    (
        "QS-FM-02",
        "荆条蜂蜜分级包装（示例）",
        "一级",
        "符合 GB 14963：果糖和葡萄糖≥60 g/100 g，蔗糖≤5 g/100 g；浅琥珀色",
        "玻璃瓶 500 g / 1 kg，防漏内盖",
        "沁水荆条蜂蜜 一级 · 产地 沁水县",
    ),
    (
        "QS-XM-01",
        "黄小米分级包装（示例）",
        "特级",
        "粒色金黄均匀，杂质≤0.3%，碎米≤3%",
        "真空袋 2.5 kg / 5 kg，外层牛皮纸袋",
        "沁水黄小米 特级 · 当年新米",
    ),
    (
        "QS-SZ-01",
        "山珍干品分级包装（示例）",
        "一级",
        "干品含水≤13%，无霉变，朵形完整",
        "食品级密封罐或礼盒",
        "沁水山珍 一级",
    ),
    (
        "QS-ZL-01",
        "杂粮分级包装（示例）",
        "一级",
        "籽粒饱满，杂质≤0.5%，无虫蛀",
        "真空小包 500 g 组合礼盒",
        "沁水杂粮 一级",
    ),
]

PRODUCTS: list[dict[str, Any]] = [
    {
        "title": "沁水刺槐蜂蜜",
        "category": "蜂蜜",
        "brand": "沁水蜂蜜",
        "township": "中村镇",
        "colour": (236, 186, 72),
        "licence": True,
        "supply": True,
        "seller": 0,
        "skus": [
            ("QS-HONEY-ACACIA-250", "250g 瓶装", "39.90", "49.00", 120, 420, "QS-FM-01"),
            ("QS-HONEY-ACACIA-500", "500g 瓶装", "68.00", "79.00", 80, 760, "QS-FM-01"),
            ("QS-HONEY-ACACIA-1000", "1kg 瓶装", "128.00", None, 40, 1350, "QS-FM-01"),
        ],
    },
    {
        "title": "沁水荆条蜂蜜",
        "category": "蜂蜜",
        "brand": "沁水蜂蜜",
        "township": "郑庄镇",
        "colour": (201, 132, 40),
        "licence": True,
        "supply": True,
        "seller": 0,
        "skus": [
            ("QS-HONEY-VITEX-500", "500g 瓶装", "58.00", None, 60, 760, "QS-FM-02"),
            ("QS-HONEY-VITEX-1000", "1kg 瓶装", "108.00", None, 30, 1350, "QS-FM-02"),
        ],
    },
    {
        "title": "沁水山珍礼盒（示例）",
        "category": "山珍",
        "brand": "沁水山珍",
        "township": "十里乡",
        "colour": (120, 96, 64),
        "licence": False,
        "supply": False,
        "seller": 0,
        "skus": [("QS-SHANZHEN-BOX", "礼盒 400g", "99.00", "128.00", 25, 900, "QS-SZ-01")],
    },
    {
        "title": "沁水黄小米",
        "category": "小米",
        "brand": "沁水杂粮",
        "township": "端氏镇",
        "colour": (240, 200, 60),
        "licence": False,
        "supply": True,
        "seller": 1,
        "skus": [
            ("QS-MILLET-2500", "2.5kg 真空袋", "49.90", None, 200, 2600, "QS-XM-01"),
            ("QS-MILLET-5000", "5kg 真空袋", "89.00", "99.00", 100, 5150, "QS-XM-01"),
        ],
    },
    {
        "title": "沁水杂粮组合（示例）",
        "category": "杂粮",
        "brand": "沁水杂粮",
        "township": "端氏镇",
        "colour": (150, 120, 80),
        "licence": False,
        "supply": False,
        "seller": 1,
        "skus": [("QS-GRAINS-MIX", "6 种各 500g", "69.00", None, 50, 3200, "QS-ZL-01")],
    },
]


def _sellers() -> list[Organisation]:
    honey = Organisation.objects.get(name="沁水县示例蜂业专业合作社")
    millet, _ = Organisation.objects.get_or_create(
        name="端氏镇示例小米专业合作社", kind=Organisation.Kind.COOPERATIVE
    )
    return [honey, millet]


@transaction.atomic
def demo_catalog_load() -> int:
    """Idempotent: products are keyed by (seller, title). Returns products created."""
    public_centre = Organisation.objects.filter(kind="public_service_centre").first()
    for name, kind, description in BRANDS:
        Brand.objects.get_or_create(
            name=name, defaults={"kind": kind, "description": description, "owner": public_centre}
        )
    for name in CATEGORIES:
        Category.objects.get_or_create(name=name)
    for code, name, grade, criteria, spec, label in STANDARDS:
        PackagingStandard.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "grade": grade,
                "criteria": criteria,
                "package_spec": spec,
                "label_text": label,
            },
        )
    sellers = _sellers()
    merchant = User.objects.get(username="merchant")
    Membership.objects.get_or_create(user=merchant, organisation=sellers[0])
    created = 0
    for item in PRODUCTS:
        seller = sellers[item["seller"]]
        if Product.objects.filter(seller=seller, title=item["title"]).exists():
            continue
        _product_load(item=item, seller=seller, by=merchant)
        created += 1
    return created


def _product_load(*, item: dict[str, Any], seller: Organisation, by: User) -> None:
    licence: dict[str, Any] = {}
    if item["licence"]:
        licence = {
            "needs_licence": True,
            "licence_sc_no": "SC00000000000001",
            "licence_holder": f"{seller.name}（示例许可证）",
            "licence_expires": date(2029, 12, 31),
        }
    product = product_create(
        seller_id=seller.pk,
        by=by,
        title=item["title"],
        category_id=Category.objects.get(name=item["category"]).pk,
        brand_id=Brand.objects.get(name=item["brand"]).pk,
        origin_township_id=Township.objects.get(name=item["township"]).pk,
        description=f"{item['title']}，产自沁水县{item['township']}。演示数据。",
        is_supply_chain=item["supply"],
        **licence,
        skus=[
            {
                "outer_id": outer_id,
                "spec_text": spec,
                "spec": {"规格": spec},
                "price": Decimal(price),
                "list_price": Decimal(lp) if lp else None,
                "stock": stock,
                "weight_grams": grams,
                "packaging_standard_id": PackagingStandard.objects.get(code=std).pk,
            }
            for outer_id, spec, price, lp, stock, grams, std in item["skus"]
        ],
    )
    data = draw_product_image(
        title=item["title"], subtitle="沁水县 · 示例图片", colour=item["colour"]
    )
    image = image_add(product=product, data=data, filename="demo.jpg")
    image_derive(image_id=image.pk)
    product_set_status(product=product, status=ProductStatus.ON_SALE, by=by)
