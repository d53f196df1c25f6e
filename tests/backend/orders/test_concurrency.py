"""50 buyers at once for the last 10 units, on PostgreSQL: exactly 10 orders, never below 0."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, StockEntry
from backend.catalog.services_stock import StockInsufficient
from backend.orders.models import Checkout, Courier, Order
from backend.orders.services import Consignee, checkout_place
from tests.backend.orders.conftest import waiting_for_a_lock
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


@pytest.mark.django_db(transaction=True)
def test_refund_request_reads_the_status_under_the_lock() -> None:
    """A shipment lands while the buyer's refund request waits for the order's lock: the
    request must see "shipped", or the approval would put back stock that already left."""
    from django.db import transaction

    from backend.orders.lock_objects import order_lock
    from backend.orders.services import order_pack, order_refund_request, order_ship

    # A transactional test before this one may have flushed the couriers' data migration.
    Courier.objects.get_or_create(code="SF", defaults={"name": "顺丰速运"})
    sku = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=10)
    buyer = UserFactory(roles=[Role.BUYER])
    merchant = UserFactory(roles=[Role.MERCHANT])
    checkout = checkout_place(
        buyer=buyer,
        idempotency_key="race-refund",
        items=[(sku.pk, 2)],
        consignee=Consignee(name="买家", phone="13900000000", address="沁水县龙港镇"),
    ).checkout
    order = checkout.orders.get()
    Order.objects.filter(pk=order.pk).update(status="paid")
    order_pack(order=order, by=merchant)
    errors: list[BaseException] = []

    def ask_refund() -> None:
        try:
            order_refund_request(order=order, by=buyer, reason="不要了")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        order_lock(order_id=order.pk)  # the merchant's shipment holds the row
        asker = threading.Thread(target=ask_refund)
        asker.start()
        deadline = time.monotonic() + 20
        while waiting_for_a_lock() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert waiting_for_a_lock() == 1
        order_ship(order=order, by=merchant, courier_code="SF", waybill_no="SF1234567890123")
    asker.join(timeout=30)
    assert errors == []
    order.refresh_from_db()
    assert (order.status, order.status_before_refund) == ("refund_requested", "shipped")
    sku.refresh_from_db()
    assert sku.stock == 8
