"""make run: the three marketplace sandboxes with a demo 沁水特产馆 on each.

Waits for the sandboxes (Procfile), registers a demo app and shop on each, publishes the demo
catalogue's on-sale products with our real connector clients (signed requests over HTTP),
places and pays two buyer orders per store, prints what it did, then stays up (honcho stops
every process when one exits). Demo only: the app secret below is public.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

from shop_connectors.jd import JdClient, JdEndpoints, JdRequestor
from shop_connectors.models import (
    AppCredentials,
    Item,
    JdMapping,
    PddMapping,
    Sku,
    TaobaoMapping,
)
from shop_connectors.pinduoduo import PddClient, PddEndpoints, PddRequestor
from shop_connectors.taobao import TaobaoClient, TaobaoEndpoints, TaobaoRequestor
from shop_connectors.transport import Transport

PORTS = {"taobao": 8031, "pinduoduo": 8032, "jd": 8033}
APP = AppCredentials("qinshui-demo-app", "qinshui-demo-app-secret", redirect_uri="")
SHOP = "qinshui-specialty"
SHOP_NAMES = {"taobao": "沁水特产馆（淘宝·示例）", "pinduoduo": "沁水特产馆（拼多多·示例）",
              "jd": "沁水特产馆（京东·示例）"}  # fmt: skip


def control(base: str, action: str, body: dict[str, object]) -> dict[str, object]:
    response = requests.post(f"{base}/_sandbox/{action}", json=body, timeout=10)
    response.raise_for_status()
    return dict(response.json())


def wait_up(base: str) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{base}/_sandbox/health", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{base} never answered")


def client(platform: str, base: str, token: str) -> TaobaoClient | PddClient | JdClient:
    kwargs = {"app": APP, "shop_id": SHOP, "access_token": token, "transport": Transport()}
    if platform == "taobao":
        return TaobaoClient(TaobaoRequestor(endpoints=TaobaoEndpoints.at(base), **kwargs))
    if platform == "pinduoduo":
        return PddClient(PddRequestor(endpoints=PddEndpoints.at(base), **kwargs))
    return JdClient(JdRequestor(endpoints=JdEndpoints.at(base), **kwargs))


def demo_items(platform: str) -> list[Item]:
    """The demo catalogue's on-sale products, in each platform's shape (demo category ids)."""
    import django

    django.setup()
    from backend.catalog.models import Product, ProductStatus

    items = []
    for product in Product.objects.filter(status=ProductStatus.ON_SALE).prefetch_related("skus"):
        skus = tuple(
            Sku(outer_id=s.outer_id, price=s.price, stock=s.stock)
            for s in product.skus.filter(is_active=True)
        )
        specs = {s.outer_id: s.spec_text for s in product.skus.all()}
        mapping: TaobaoMapping | PddMapping | JdMapping
        if platform == "taobao":
            mapping = TaobaoMapping(
                cid=50016422,
                location_state="山西",
                location_city="晋城",
                sku_properties={o: f"1627207:{3000 + n}" for n, o in enumerate(specs)},
            )
        elif platform == "pinduoduo":
            mapping = PddMapping(
                cat_id=8439,
                cost_template_id=321,
                sku_specs={o: ((1215, spec),) for o, spec in specs.items()},
                images=(b"\x89PNG-demo-image",),
            )
        else:
            mapping = JdMapping(
                category_id=12202, sku_sale_attrs={o: ((1001, spec),) for o, spec in specs.items()}
            )
        items.append(Item(
            outer_id=f"QS-P{product.pk}", title=product.title, description=product.description,
            skus=skus, mapping=mapping, image_urls=("https://img.example.invalid/demo.jpg",),
        ))  # fmt: skip
    return items


def seed(platform: str) -> str:
    base = f"http://127.0.0.1:{PORTS[platform]}"
    wait_up(base)
    control(base, "reset", {})
    control(base, "apps", {"app_key": APP.app_key, "app_secret": APP.app_secret})
    control(base, "shops", {"shop_id": SHOP, "name": SHOP_NAMES[platform]})
    token = str(control(base, "tokens", {"app_key": APP.app_key, "shop_id": SHOP})["access_token"])
    shop = client(platform, base, token)
    items = demo_items(platform)
    for item in items:
        shop.item_publish(item=item)
    placed = 0
    for item in items[:2]:
        line = {"outer_sku_id": item.skus[0].outer_id, "quantity": 1}
        order = control(base, "buyer/place", {"shop_id": SHOP, "lines": [line]})
        control(base, "buyer/pay", {"order_id": order["order_id"]})
        placed += 1
    total = sum((s.price for i in items for s in i.skus), Decimal("0"))
    return (f"{SHOP_NAMES[platform]}: {len(items)} items published by our {platform} client "
            f"(SKU prices sum ¥{total}), {placed} paid buyer orders — {base}/")  # fmt: skip


def main() -> None:
    for platform in PORTS:
        try:
            sys.stdout.write(seed(platform) + "\n")
        except Exception as exc:  # any failure: the demo goes on without this store
            sys.stdout.write(f"{platform} demo store not seeded: {type(exc).__name__}: {exc}\n")
        sys.stdout.flush()
    signal.pause()


if __name__ == "__main__":
    main()
