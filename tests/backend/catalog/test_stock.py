"""The stock service: conditional updates, a ledger row and one event per change."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from backend.catalog.models import StockEntry
from backend.catalog.services_stock import StockInsufficient, stock_change, stock_set
from backend.common.models import OutboxEvent
from tests.factories.catalog import SkuFactory


@pytest.mark.django_db
def test_each_change_leaves_a_ledger_row_and_one_event() -> None:
    sku = SkuFactory(stock=10)
    stock_change(sku_id=sku.pk, delta=-3, reason="reservation", ref="order:1")
    stock_change(sku_id=sku.pk, delta=2, reason="release", ref="order:1")
    stock_set(sku_id=sku.pk, stock=20, reason="correction", note="盘点")
    assert stock_set(sku_id=sku.pk, stock=20, reason="correction") is None  # no change, no row
    sku.refresh_from_db()
    assert sku.stock == 20
    rows = list(
        StockEntry.objects.order_by("id").values_list("delta", "stock_after", "reason", "ref")
    )
    assert rows == [
        (-3, 7, "reservation", "order:1"),
        (2, 9, "release", "order:1"),
        (11, 20, "correction", ""),
    ]
    events = list(OutboxEvent.objects.filter(name="sku.stock_changed").order_by("id"))
    assert [(e.payload["delta"], e.payload["stock"]) for e in events] == [(-3, 7), (2, 9), (11, 20)]
    assert events[0].payload["outer_id"] == sku.outer_id


@pytest.mark.django_db
def test_taking_too_much_changes_nothing() -> None:
    sku = SkuFactory(stock=2)
    with pytest.raises(StockInsufficient):
        stock_change(sku_id=sku.pk, delta=-3, reason="reservation")
    sku.refresh_from_db()
    assert sku.stock == 2
    assert (StockEntry.objects.count(), OutboxEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_no_event_and_no_row_on_rollback() -> None:
    sku = SkuFactory(stock=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        stock_change(sku_id=sku.pk, delta=-1, reason="reservation")
        raise RuntimeError("the order failed after reserving")
    sku.refresh_from_db()
    assert sku.stock == 5
    assert (StockEntry.objects.count(), OutboxEvent.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_takers_never_oversell() -> None:
    """20 threads each take 1 of 7 units on PostgreSQL: exactly 7 succeed, stock 0."""
    sku = SkuFactory(stock=7)
    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        barrier.wait()
        try:
            stock_change(sku_id=sku.pk, delta=-1, reason="reservation")
            outcome = "ok"
        except StockInsufficient:
            outcome = "short"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=take) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sku.refresh_from_db()
    assert (results.count("ok"), results.count("short"), sku.stock) == (7, 13, 0)
    assert StockEntry.objects.filter(sku=sku).count() == 7
    assert sorted(StockEntry.objects.values_list("stock_after", flat=True)) == list(range(7))


@pytest.mark.django_db
def test_stock_endpoint_and_ledger(merchant_client, merchant, seller) -> None:
    sku = SkuFactory(product__seller=seller, stock=4)
    url = f"/api/v1/catalog/skus/{sku.pk}/stock"
    taken = merchant_client.post(url, {"delta": -5}, content_type="application/json")
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "stock.insufficient"
    assert (
        merchant_client.post(
            url, {"delta": -1, "note": "破损"}, content_type="application/json"
        ).json()["stock"]
        == 3
    )
    assert (
        merchant_client.post(
            url, {"set_to": 12, "reason": "correction"}, content_type="application/json"
        ).json()["stock"]
        == 12
    )
    both = merchant_client.post(url, {"delta": 1, "set_to": 2}, content_type="application/json")
    assert both.status_code == 422
    assert both.json()["error"]["code"] == "request.validation"
    neither = merchant_client.post(url, {"note": "?"}, content_type="application/json")
    assert neither.status_code == 422
    ledger = merchant_client.get(f"/api/v1/catalog/skus/{sku.pk}/ledger").json()
    assert [(e["delta"], e["stock_after"], e["reason"], e["note"]) for e in ledger] == [
        (9, 12, "correction", ""),
        (-1, 3, "adjustment", "破损"),
    ]
    assert ledger[0]["by_name"] == merchant.display_name
