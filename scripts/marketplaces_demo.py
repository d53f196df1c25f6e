"""make run: the three marketplace sandboxes with the demo merchant's 沁水特产馆 on each.

Waits for the sandboxes (Procfile), registers the demo app and shop on each, then binds each
store **by OAuth** through the stores app (authorise page, signed state, code exchange), maps
its categories and freight template from the platform, publishes the merchant's on-sale
products as a sync job, places and pays two buyer orders per store and imports them into the
merchant's orders at once (the beat goes on importing every STORES_IMPORT_PERIOD), prints
what it did, then stays up (honcho stops every process when one exits). Demo only: the app
secret is public.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

PORTS = {"taobao": 8031, "pinduoduo": 8032, "jd": 8033}
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


def seed(platform: str) -> str:
    from backend.stores.demo import APP_KEY, APP_SECRET, SHOP, demo_store_bind, demo_store_publish
    from backend.stores.models import Listing
    from backend.stores.services_orders import store_orders_import

    base = f"http://127.0.0.1:{PORTS[platform]}"
    wait_up(base)
    control(base, "reset", {})
    control(base, "config", {"next_id": int(time.time()) % 1_000_000_000})  # fresh order ids
    control(base, "apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
    control(base, "shops", {"shop_id": SHOP, "name": SHOP_NAMES[platform]})
    store = demo_store_bind(platform=platform, base=base)
    job = demo_store_publish(store=store)
    placed = 0
    for listing in Listing.objects.filter(store=store, state="listed")[:2]:
        outer = listing.product.skus.filter(is_active=True).first()
        line = {"outer_sku_id": outer.outer_id, "quantity": 1} if outer else None
        if line is None:
            continue
        order = control(base, "buyer/place", {"shop_id": SHOP, "lines": [line]})
        control(base, "buyer/pay", {"order_id": order["order_id"]})
        # Paid a few minutes ago: Pinduoduo lists orders only 3 minutes after their change.
        control(
            base, "orders/touch", {"order_id": order["order_id"], "modified": time.time() - 240}
        )
        placed += 1
    imported = store_orders_import(store_id=store.pk)
    return (
        f"{store.shop_name}: bound by OAuth (store #{store.pk}), {job.done} products published "
        f"by a sync job ({job.failed} failed), {placed} paid buyer orders, {imported.created} "
        f"imported into the merchant's orders — {base}/"
    )


def main() -> None:
    import django

    django.setup()
    for platform in PORTS:
        try:
            sys.stdout.write(seed(platform) + "\n")
        except Exception as exc:  # any failure: the demo goes on without this store
            sys.stdout.write(f"{platform} demo store not set up: {type(exc).__name__}: {exc}\n")
        sys.stdout.flush()
    signal.pause()


if __name__ == "__main__":
    main()
