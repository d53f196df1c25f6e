"""Faults: 20 % of the platform's answers lost (5xx, timeouts, garbage) after the call was
executed; an expired token; each ends with every item once and nothing lost."""

from __future__ import annotations

import time

import pytest

from backend.stores.job_runner import sync_job_run
from backend.stores.models import Listing, Store, SyncJob
from tests.backend.stores.conftest import bind, map_store, run_job
from tests.factories.catalog import ProductFactory, SkuFactory


@pytest.fixture
def fast_faults(settings):
    settings.STORES_HTTP_TIMEOUT = (1.0, 0.3)  # the sandbox hangs 0.6 s: a read timeout
    settings.STORES_RETRY_BACKOFF_SECONDS = 0.01
    settings.STORES_ITEM_MAX_ATTEMPTS = 10


def _products(millet, n: int) -> list[int]:
    ids = [millet.pk]
    for k in range(n - 1):
        product = ProductFactory(seller=millet.seller, category=millet.category,
                                 status="on_sale", title=f"沁水小米 {k}")  # fmt: skip
        SkuFactory(product=product, spec_text="500g", outer_id=f"F-{k}")
        ids.append(product.pk)
    return ids


def test_twenty_percent_lost_answers_end_with_each_item_once(
    merchant_client, sandbox, app, platform, millet, fast_faults
):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    ids = _products(millet, 15)
    sandbox.control("faults", {"rate": 0.2, "kinds": ["5xx", "timeout", "malformed"],
                               "phase": "after", "hang_seconds": 0.6, "seed": 14})  # fmt: skip
    job = run_job(merchant_client, store, ids)
    state = sandbox.state()
    assert state["faults_injected"] > 0
    assert (job["status"], job["done"], job["failed"]) == ("done", 15, 0)
    outer_ids = [i["outer_id"] for i in state["items"]]
    assert sorted(outer_ids) == sorted(f"QS-P{pk}" for pk in ids)  # no duplicate item
    listings = Listing.objects.filter(store=store).order_by("product_id")
    assert [(li.product_id, li.state) for li in listings] == [(pk, "listed") for pk in sorted(ids)]
    remote = {str(i["id"]) for i in state["items"]}
    assert {li.remote_id for li in listings} == remote


@pytest.mark.parametrize("platform", ["pinduoduo"])
def test_an_expired_token_pauses_the_job_until_reauthorised(merchant_client, sandbox, app, millet):
    sandbox.control("config", {"token_ttl": 1})
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    time.sleep(1.2)
    answer = merchant_client.post(
        f"/api/v1/stores/{store.pk}/jobs", {"product_ids": [millet.pk]}, "application/json"
    )
    job = SyncJob.objects.get(pk=answer.json()["id"])
    assert sync_job_run(job_id=job.pk) is None
    store.refresh_from_db()
    job.refresh_from_db()
    assert (store.status, job.status, job.done, job.failed) == ("reauthorise", "paused", 0, 0)
    assert list(job.items.values_list("status", flat=True)) == ["pending"]  # nothing lost
    assert sandbox.state()["items"] == []
    sandbox.control("config", {"token_ttl": 86400})
    assert bind(merchant_client, sandbox, app).pk == store.pk  # re-authorised
    job.refresh_from_db()
    assert job.status == "queued"
    assert sync_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 1)
    assert [i["outer_id"] for i in sandbox.state()["items"]] == [f"QS-P{millet.pk}"]
    assert Store.objects.get(pk=store.pk).status == "active"


@pytest.mark.parametrize("platform", ["jd"])
def test_the_platforms_call_limit_is_waited_out(merchant_client, sandbox, app, millet):
    """No limiter of ours: the platform refuses calls over 2/s, we wait what it says and
    every item still goes up once."""
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    ids = _products(millet, 8)
    sandbox.control("limits", {"methods": {"jingdong.ware.write.add": 2}})
    job = run_job(merchant_client, store, ids)
    state = sandbox.state()
    assert state["limited"]["jingdong.ware.write.add"] > 0
    assert (job["done"], job["failed"]) == (8, 0)
    assert sorted(i["outer_id"] for i in state["items"]) == sorted(f"QS-P{pk}" for pk in ids)
