"""50 buyers at once for the last 10 units, on PostgreSQL: exactly 10 orders, never below 0."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, StockEntry
from backend.catalog.services_stock import StockInsufficient
from backend.orders.models import Checkout, Order
from backend.orders.services import Consignee, checkout_place
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory

BUYERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_units() -> None:
    sku = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=10)
    buyers = [UserFactory(roles=[Role.BUYER]) for _ in range(BUYERS)]
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(buyer) -> None:
        barrier.wait()
        try:
            checkout_place(
                buyer=buyer,
                idempotency_key=f"race-{buyer.pk}",
                items=[(sku.pk, 1)],
                consignee=Consignee(name="买家", phone="13900000000", address="沁水县龙港镇"),
            )
            outcome = "bought"
        except StockInsufficient:
            outcome = "sold out"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    sku.refresh_from_db()
    assert (outcomes.count("bought"), outcomes.count("sold out")) == (10, 40)
    assert sku.stock == 0
    assert (Order.objects.count(), Checkout.objects.count()) == (10, 10)
    ledger = list(StockEntry.objects.filter(sku=sku).values_list("stock_after", flat=True))
    assert len(ledger) == 10 and min(ledger) == 0  # never below zero on the way
