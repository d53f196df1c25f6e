"""`make run`'s demo stores: the demo merchant's store on each sandbox, bound by OAuth,
mapped, and its on-sale products listed, as scripts/marketplaces_demo.py does it."""

from __future__ import annotations

import time

from backend.accounts.demo import demo_accounts_load
from backend.catalog.demo import demo_catalog_load
from backend.catalog.models import Product
from backend.stores.demo import APP_KEY, APP_SECRET, SHOP, demo_store_bind, demo_store_publish
from backend.stores.models import Listing, Store, StoreOrder
from backend.stores.selectors import office_summary
from backend.stores.services_orders import store_orders_import


def test_three_demo_stores_bound_mapped_and_in_step(sandboxes, db):
    demo_accounts_load()
    demo_catalog_load()
    for platform, box in sandboxes.items():
        box.control("reset")
        box.control("apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
        box.control("shops", {"shop_id": SHOP, "name": f"沁水特产馆（{platform}）"})
        store = demo_store_bind(platform=platform, base=box.base)
        on_sale = Product.objects.filter(seller_id=store.organisation_id, status="on_sale")
        assert on_sale.count() == 3  # two honeys and the mountain-goods box
        job = demo_store_publish(store=store)
        assert (job.done, job.failed) == (on_sale.count(), 0)
        assert sorted(i["outer_id"] for i in box.state()["items"]) == sorted(
            f"QS-P{pk}" for pk in on_sale.values_list("pk", flat=True)
        )
        # Run again (a second `make run` resets the sandbox): the same store, in step again.
        box.control("reset")
        box.control("apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
        box.control("shops", {"shop_id": SHOP, "name": f"沁水特产馆（{platform}）"})
        assert demo_store_bind(platform=platform, base=box.base).pk == store.pk
        assert demo_store_publish(store=store).done == on_sale.count()
        assert len(box.state()["items"]) == on_sale.count()
        # A sandbox buyer's paid order flows into the merchant's orders (the beat's import).
        outer = on_sale.first().skus.first().outer_id
        placed = box.control("buyer/place", {"shop_id": SHOP, "lines": [{"outer_sku_id": outer}]})
        box.control("buyer/pay", {"order_id": placed["order_id"]})
        box.control("orders/touch", {"order_id": placed["order_id"], "modified": time.time() - 240})
        assert store_orders_import(store_id=store.pk).created == 1
        fact = StoreOrder.objects.get(store=store, remote_id=placed["order_id"])
        assert (fact.order.status, fact.order.seller_id) == ("paid", store.organisation_id)
    assert Store.objects.filter(status="active").count() == 3
    assert set(Listing.objects.values_list("state", flat=True)) == {"listed"}
    assert office_summary()["active_stores"] == 3
