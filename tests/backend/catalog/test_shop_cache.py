"""The storefront's cached reads follow every change that shows: a price through
`product.updated`, a stock level through `sku.stock_changed`; HTTP caching is public, short,
and answers 304 to a client that holds the same bytes."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.common.models import EventDelivery
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_inline(settings):
    """Deliver events in this process right after commit, as the worker would."""
    settings.EVENTS_INLINE = True


@pytest.fixture
def honey(seller, events_inline):
    product = ProductFactory(seller=seller, title="沁水刺槐蜂蜜", status="on_sale")
    sku = SkuFactory(product=product, spec_text="500g 瓶装", price="68.00", stock=10, outer_id="H")
    return product, sku


def _detail(product_id: int) -> dict:
    response = Client().get(f"/api/v1/shop/products/{product_id}")
    assert response.status_code == 200
    return response.json()


def _list_prices() -> list[tuple[str, str]]:
    response = Client().get("/api/v1/shop/products")
    assert response.status_code == 200
    return [(p["title"], p["price_min"]) for p in response.json()["items"]]


def test_a_cached_read_follows_a_price_change(
    honey, merchant_client, django_capture_on_commit_callbacks
) -> None:
    product, sku = honey
    assert [(s["price"], s["stock_state"]) for s in _detail(product.pk)["skus"]] == [
        ("68.00", "in_stock")
    ]
    assert _list_prices() == [("沁水刺槐蜂蜜", "68.00")]
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_client.patch(
            f"/api/v1/catalog/skus/{sku.pk}", {"price": "59.90"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert [(s["price"], s["stock_state"]) for s in _detail(product.pk)["skus"]] == [
        ("59.90", "in_stock")
    ]
    assert _list_prices() == [("沁水刺槐蜂蜜", "59.90")]


def test_a_cached_read_follows_a_visible_stock_change(
    honey, merchant_client, django_capture_on_commit_callbacks
) -> None:
    product, sku = honey
    assert [s["stock_state"] for s in _detail(product.pk)["skus"]] == ["in_stock"]

    def take(delta: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = merchant_client.post(
                f"/api/v1/catalog/skus/{sku.pk}/stock",
                {"delta": delta, "reason": "adjustment"},
                content_type="application/json",
            )
        assert response.status_code == 200

    take(-2)  # 10 → 8: still "in_stock", so no delivery and no task at all
    assert EventDelivery.objects.filter(handler__contains="shop_cache").count() == 0
    take(-5)  # 8 → 3
    assert [s["stock_state"] for s in _detail(product.pk)["skus"]] == ["low"]
    take(-3)  # 3 → 0
    assert [s["stock_state"] for s in _detail(product.pk)["skus"]] == ["out"]
    handled = EventDelivery.objects.filter(handler__contains="shop_cache_on_stock_changed")
    assert list(handled.values_list("status", flat=True)) == ["succeeded", "succeeded"]


def test_the_cache_answers_without_the_database(honey, django_assert_num_queries) -> None:
    product, _sku = honey
    first, listed = _detail(product.pk), _list_prices()
    with django_assert_num_queries(0):
        assert _detail(product.pk) == first
        assert _list_prices() == listed


def test_public_reads_carry_safe_http_caching(honey) -> None:
    product, _sku = honey
    response = Client().get(f"/api/v1/shop/products/{product.pk}")
    assert response["Cache-Control"] == "public, max-age=5"
    assert "Set-Cookie" not in response
    etag = response["ETag"]
    again = Client().get(f"/api/v1/shop/products/{product.pk}", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    missing = Client().get("/api/v1/shop/products/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert "public" not in missing.get("Cache-Control", "")


def test_a_cached_read_is_answered_before_the_middleware(honey) -> None:
    """A hit is sent from the cache before sessions, locale and routing run (the full
    stack marks its answers with Content-Language; the early answer has no language); a
    miss, a query the schemas refuse, or a repeated parameter goes on to the view."""
    product, _sku = honey
    first = Client().get("/api/v1/shop/products", headers={"Accept-Language": "en"})
    assert first.status_code == 200 and first["Content-Language"] == "en"
    hit = Client().get("/api/v1/shop/products?offset=0&limit=50")
    assert hit.status_code == 200 and "Content-Language" not in hit
    assert (hit.content, hit["ETag"]) == (first.content, first["ETag"])
    detail_miss = Client().get(f"/api/v1/shop/products/{product.pk}")
    detail_hit = Client().get(f"/api/v1/shop/products/{product.pk}")
    assert "Content-Language" in detail_miss and "Content-Language" not in detail_hit
    assert detail_hit.content == detail_miss.content
    refused = Client().get("/api/v1/shop/products?limit=0")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "request.validation"
    repeated = Client().get("/api/v1/shop/products?limit=5&limit=50")
    assert repeated.status_code == 200 and "Content-Language" in repeated
    assert Client().get("/api/v1/shop/products/99999999").status_code == 404
