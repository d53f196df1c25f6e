"""Mapping, publishing and updating by hash against each sandbox, counted at the sandbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.catalog.models import Sku
from backend.stores.models import Listing
from tests.backend.stores.conftest import bind, map_store, run_job, writes

ADD = {"taobao": "taobao.item.add", "pinduoduo": "pdd.goods.add", "jd": "jingdong.ware.write.add"}


def test_publishing_needs_a_complete_mapping(merchant_client, sandbox, app, millet):
    store = bind(merchant_client, sandbox, app)
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["status"], job["done"], job["failed"]) == ("done", 0, 1)
    assert job["failures"][0]["error"] == "请先选择店铺的运费模板。"
    listing = Listing.objects.get(store=store, product=millet)
    assert (listing.state, listing.remote_id) == ("failed", "")
    merchant_client.put(
        f"/api/v1/stores/{store.pk}/freight-template", {"template_id": "321"}, "application/json"
    )
    job = run_job(merchant_client, store, [millet.pk])
    assert job["failed"] == 1
    assert job["failures"][0]["error"] == "请先把类目 杂粮 对应到平台类目。"
    assert writes(sandbox.state()["calls"]) == {}
    assert sandbox.state()["items"] == []


def test_a_required_attribute_is_asked_for_by_name(merchant_client, sandbox, app, platform, millet):
    store = bind(merchant_client, sandbox, app)
    honey = {"taobao": ("50002766", "50050359", "122216347"), "pinduoduo": ("8172", "8440", "310"),
             "jd": ("1584", "12203", "2001")}[platform]  # fmt: skip
    parent, leaf, origin = honey
    body = {"remote_parent_id": parent, "remote_category_id": leaf}
    url = f"/api/v1/stores/{store.pk}/mappings/{millet.category_id}"
    refused = merchant_client.put(url, body, "application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "store.mapping_invalid"
    assert refused.json()["error"]["extra"] == {"field": f"attributes.{origin}"}
    assert "产地" in refused.json()["error"]["message"]
    body["attributes"] = {origin: "1001"}
    if platform == "taobao":
        body["spec_values"] = {"500g": "3001", "1kg": "3002"}
    answer = merchant_client.put(url, body, "application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["attributes"] == {
        origin: {"name": "产地", "value_id": "1001", "value": "山西晋城"}
    }
    assert answer.json()["remote_category_name"] == "蜂蜜"


def test_publish_then_an_unchanged_resync_makes_zero_writes(
    merchant_client, sandbox, app, platform, millet
):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["status"], job["done"], job["failed"]) == ("done", 1, 0)
    items = sandbox.state()["items"]
    assert [(i["outer_id"], i["title"], i["on_sale"]) for i in items] == [
        (f"QS-P{millet.pk}", "沁水小米", True)
    ]
    assert sorted((s["outer_id"], s["price_fen"], s["stock"]) for s in items[0]["skus"]) == [
        ("MILLET-1000", 3600, 12),
        ("MILLET-500", 1990, 30),
    ]
    listing = Listing.objects.get(store=store, product=millet)
    assert (listing.state, listing.remote_id) == ("listed", str(items[0]["id"]))
    assert writes(sandbox.state()["calls"]) == {ADD[platform]: 1}

    before = sandbox.state()["calls"]
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["done"], job["write_calls"]) == (1, 0)
    assert writes(sandbox.state()["calls"]) == writes(before)  # 0 write calls


def test_only_what_changed_is_written(merchant_client, sandbox, app, platform, millet):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    run_job(merchant_client, store, [millet.pk])
    before = writes(sandbox.state()["calls"])
    Sku.objects.filter(outer_id="MILLET-500").update(price=Decimal("21.50"))
    job = run_job(merchant_client, store, [millet.pk])
    assert job["write_calls"] == 1
    after = writes(sandbox.state()["calls"])
    price = {"taobao": "taobao.item.sku.price.update", "pinduoduo": "pdd.goods.sku.price.update",
             "jd": "jingdong.price.write.updateSkuJdPrice"}[platform]  # fmt: skip
    per_sku = 2 if platform != "pinduoduo" else 1  # PDD sets every SKU's price in one call
    assert {m: n - before.get(m, 0) for m, n in after.items() if n != before.get(m, 0)} == {
        price: per_sku
    }
    skus = sandbox.state()["items"][0]["skus"]
    assert sorted((s["outer_id"], s["price_fen"]) for s in skus) == [
        ("MILLET-1000", 3600),
        ("MILLET-500", 2150),
    ]


@pytest.mark.parametrize("platform", ["jd"])
def test_a_refused_item_fails_with_the_reason_and_the_rest_go_on(
    merchant_client, sandbox, app, millet, seller
):
    from tests.factories.catalog import ProductFactory, SkuFactory

    long_title = ProductFactory(seller=seller, category=millet.category, status="on_sale",
                                title="沁水" * 30)  # fmt: skip  # JD takes at most 50 chars
    SkuFactory(product=long_title, spec_text="500g", outer_id="LONG-500")
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    job = run_job(merchant_client, store, [millet.pk, long_title.pk])
    assert (job["done"], job["failed"]) == (1, 1)
    failure = job["failures"][0]
    assert failure["product_id"] == long_title.pk
    assert "ware.title" in failure["platform_message"]
    assert [i["outer_id"] for i in sandbox.state()["items"]] == [f"QS-P{millet.pk}"]


def test_an_item_deleted_by_hand_is_found_on_an_unchanged_resync(
    merchant_client, sandbox, app, platform, millet
):
    """Nothing changed here, so no write would touch the item: the job's one read of the
    platform's on-sale list finds it gone, and the merchant's choice decides."""
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    run_job(merchant_client, store, [millet.pk])
    first = sandbox.state()["items"][0]["id"]
    sandbox.control("seller/delete-item", {"shop_id": "shop-a", "item_id": first})
    settings_url = f"/api/v1/stores/{store.pk}/settings"
    merchant_client.patch(settings_url, {"deleted_remotely": "mark"}, "application/json")
    before = writes(sandbox.state()["calls"])
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["done"], job["failed"], job["write_calls"]) == (0, 1, 0)
    assert job["failures"][0]["error"] == "平台上已没有这个商品。"
    assert writes(sandbox.state()["calls"]) == before
    listing = Listing.objects.get(store=store, product=millet)
    assert (listing.state, listing.remote_id) == ("failed", str(first))

    merchant_client.patch(settings_url, {"deleted_remotely": "republish"}, "application/json")
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["done"], job["failed"], job["write_calls"]) == (1, 0, 1)
    items = sandbox.state()["items"]
    assert [(i["outer_id"], i["on_sale"]) for i in items] == [(f"QS-P{millet.pk}", True)]
    listing.refresh_from_db()
    assert (listing.state, listing.remote_id) == ("listed", str(items[0]["id"]))
    assert items[0]["id"] != first


def test_an_item_taken_off_sale_by_hand_is_put_back_not_duplicated(
    merchant_client, sandbox, app, platform, millet
):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    run_job(merchant_client, store, [millet.pk])
    item_id = sandbox.state()["items"][0]["id"]
    sandbox.control("seller/off-sale", {"shop_id": "shop-a", "item_id": item_id})
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["done"], job["failed"], job["write_calls"]) == (1, 0, 1)  # back on sale
    assert [(i["id"], i["on_sale"]) for i in sandbox.state()["items"]] == [(item_id, True)]
    assert Listing.objects.get(store=store, product=millet).state == "listed"


@pytest.mark.parametrize("platform", ["pinduoduo"])
def test_pinduoduo_spec_ids_are_asked_when_mapping_not_when_publishing(
    merchant_client, sandbox, app, platform, millet
):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    asked = sandbox.state()["calls"].get("pdd.goods.spec.id.get", 0)
    mapping = store.mappings.get()
    assert (asked, sorted(mapping.spec_ids)) == (2, ["1kg", "500g"])
    job = run_job(merchant_client, store, [millet.pk])
    assert (job["done"], job["failed"]) == (1, 0)
    assert sandbox.state()["calls"].get("pdd.goods.spec.id.get", 0) == 2
    (item,) = sandbox.state()["items"]
    assert sorted(s["outer_id"] for s in item["skus"]) == ["MILLET-1000", "MILLET-500"]
