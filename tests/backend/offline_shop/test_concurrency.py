"""Two counters at once on PostgreSQL: eight cashiers for the shelf's last three jars sell
exactly three (never below zero), and a shift closed twice at once closes once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from backend.catalog.models import LocationStock, ProductStatus, StockLocation
from backend.catalog.services_locations import stock_consign
from backend.common.errors import DomainError
from backend.offline_shop.access import CASHIER
from backend.offline_shop.models import Receipt, Shop
from backend.offline_shop.services_sale import counter_sell
from backend.offline_shop.services_shifts import shift_close, shift_open
from backend.orders.models import Order
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory

CASHIERS = 8


def _race(count: int, action) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            action(i)
            outcome = "done"
        except DomainError as exc:
            outcome = str(exc.code)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_eight_cashiers_for_the_last_three_jars_and_one_close() -> None:
    shelf = StockLocation.objects.create(kind=StockLocation.Kind.SHOP_SHELF, name="货架")
    shop = Shop.objects.create(
        name="特产馆", operator=OrganisationFactory(), shelf=shelf, commission_rate=Decimal("0.1")
    )
    sku = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=3)
    cashiers = [UserFactory() for _ in range(CASHIERS)]
    group = Group.objects.get(name=CASHIER)
    for cashier in cashiers:
        cashier.groups.add(group)
        shift_open(shop=shop, cashier=cashier, opening_cash=Decimal("0"))
    stock_consign(sku_id=sku.pk, location=shelf, quantity=3, by=cashiers[0])

    sold = _race(
        CASHIERS,
        lambda i: counter_sell(
            shop=shop,
            cashier=cashiers[i],
            items=[(sku.pk, 1)],
            kind="counter_cash",
            key=f"race-{i}",
        ),
    )
    assert sold == ["done"] * 3 + ["shop.shelf_short"] * 5
    assert LocationStock.objects.get(sku=sku).quantity == 0
    assert (Order.objects.count(), Receipt.objects.count()) == (3, 3)

    shift = shop.shifts.get(cashier=cashiers[0])
    counted = {"counter_cash": Decimal("0.00")}
    closed = _race(
        2, lambda i: shift_close(shift=shift, by=cashiers[0], counted=counted, reason="盘点")
    )
    assert closed == ["done", "shop.shift_closed"]
