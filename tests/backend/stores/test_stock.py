"""Stock after `sku.stock_changed` (debounced, with safety stock and each store's share) and
taking items off sale after `product.updated`, through the real catalogue endpoints."""

from __future__ import annotations

import pytest

from backend.accounts.roles import Role
from backend.stores.job_runner import sync_job_run
from backend.stores.models import Listing, Store, SyncJob
from backend.stores.stock_debounce import listing_stores, stock_flush
from tests.backend.stores.conftest import bind, map_store, run_job, writes

STOCK = {"taobao": "taobao.skus.quantity.update", "pinduoduo": "pdd.goods.quantity.update",
         "jd": "jingdong.stock.write.updateSkuStock"}  # fmt: skip


@pytest.fixture
def inline_events(settings):
    settings.EVENTS_INLINE = True


def _published(merchant_client, sandbox, app, millet):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    run_job(merchant_client, store, [millet.pk])
    return store


def _skus(sandbox) -> list[tuple[str, int]]:
    return sorted((s["outer_id"], s["stock"]) for s in sandbox.state()["items"][0]["skus"])


def test_a_burst_of_stock_changes_is_one_debounced_push_of_each_stores_share(
    merchant_client,
    sandbox,
    app,
    platform,
    millet,
    inline_events,
    django_capture_on_commit_callbacks,
):
    store = _published(merchant_client, sandbox, app, millet)
    settings_url = f"/api/v1/stores/{store.pk}/settings"
    answer = merchant_client.patch(
        settings_url, {"safety_stock": 5, "share_percent": 50}, "application/json"
    )
    assert (answer.json()["safety_stock"], answer.json()["share_percent"]) == (5, 50)
    before = writes(sandbox.state()["calls"])
    skus = {s.outer_id: s.pk for s in millet.skus.all()}
    with django_capture_on_commit_callbacks(execute=True):
        for outer_id, stock in (("MILLET-500", 25), ("MILLET-500", 41), ("MILLET-1000", 8)):
            answer = merchant_client.post(
                f"/api/v1/catalog/skus/{skus[outer_id]}/stock",
                {"set_to": stock, "reason": "adjustment"},
                "application/json",
            )
            assert answer.status_code == 200, answer.content
    assert writes(sandbox.state()["calls"]) == before  # nothing pushed during the burst
    assert stock_flush(store_id=store.pk) == 1  # what the debounce timer runs: one product
    assert stock_flush(store_id=store.pk) == 0
    job = SyncJob.objects.get(store=store, kind="stock")
    assert sync_job_run(job_id=job.pk) is None
    # (41 - 5) * 50 % = 18 and (8 - 5) * 50 % = 1, rounded down.
    assert _skus(sandbox) == [("MILLET-1000", 1), ("MILLET-500", 18)]
    after = writes(sandbox.state()["calls"])
    calls = {m: n - before.get(m, 0) for m, n in after.items() if n != before.get(m, 0)}
    assert calls == {STOCK[platform]: 1 if platform == "taobao" else 2}  # TOP batches 20 SKUs
    # Who hears of the next change: a store where the item is listed and that is active.
    assert listing_stores(product_id=millet.pk) == [store.pk]
    Listing.objects.filter(store=store).update(state="off_sale")
    assert listing_stores(product_id=millet.pk) == []
    Listing.objects.filter(store=store).update(state="listed")
    Store.objects.filter(pk=store.pk).update(status="paused")
    assert listing_stores(product_id=millet.pk) == []


@pytest.mark.parametrize("status", ["off_sale", "recalled"])
def test_off_sale_or_recalled_takes_the_item_off_sale(
    merchant_client, sandbox, app, millet, inline_events, status, make_user, login_as,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    store = _published(merchant_client, sandbox, app, millet)
    actor = merchant_client if status == "off_sale" else login_as(make_user(Role.OFFICE_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        answer = actor.post(
            f"/api/v1/catalog/products/{millet.pk}/status", {"status": status}, "application/json"
        )
        assert answer.status_code == 200, answer.content
    job = SyncJob.objects.get(store=store, kind="delist")
    assert sync_job_run(job_id=job.pk) is None
    assert [i["on_sale"] for i in sandbox.state()["items"]] == [False]
    assert Listing.objects.get(store=store, product=millet).state == "off_sale"
    again = run_job(merchant_client, store, [millet.pk], kind="delist")
    assert (again["done"], again["write_calls"]) == (1, 0)  # already off sale: nothing sent
