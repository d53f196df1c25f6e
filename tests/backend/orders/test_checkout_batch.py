"""Checkouts written in batches (backend/orders/checkout_batch.py), on PostgreSQL with real
threads: while one batch waits for the hot SKU's row lock, the buyers behind it queue, and
the next batch writes them all in one transaction. Each buyer still gets exactly their own
outcome: their checkout, their rule's error in their language, or their sell-out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import translation

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, Sku, StockEntry
from backend.common.errors import DomainError
from backend.common.models import OutboxEvent
from backend.orders.models import Checkout, Order, OrderLine
from backend.orders.services_checkout import Consignee, _combiner, checkout_place
from tests.backend.orders.conftest import waiting_for_a_lock
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db(transaction=True)

WHO = Consignee(name="买家", phone="13900000000", address="沁水县龙港镇")


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _crowd(buys: list[Callable[[], object]], *, hot: Sku) -> list[object]:
    """Run the buys in threads while this test holds the hot SKU's row lock: the first
    buyer's batch waits on it and the rest queue; the lock goes once all have queued."""
    outcomes: list[object] = [None] * len(buys)

    def run(n: int) -> None:
        try:
            outcomes[n] = buys[n]()
        except Exception as exc:  # the buyer's own outcome
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(buys))]
    with transaction.atomic():
        Sku.objects.select_for_update().get(pk=hot.pk)
        threads[0].start()
        _until(lambda: waiting_for_a_lock() == 1, "the first batch waits for the SKU")
        for thread in threads[1:]:
            thread.start()
        _until(lambda: _combiner.waiting() == len(buys) - 1, "the others queue")
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _buy(buyer, items, *, key: str = "", language: str = "zh-hans") -> Callable[[], object]:
    def buy() -> object:
        with translation.override(language):
            return checkout_place(
                buyer=buyer, idempotency_key=key or f"k-{buyer.pk}", items=items, consignee=WHO
            )

    return buy


def test_a_crowd_is_one_batch_and_each_buyer_gets_their_own_outcome() -> None:
    hot = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=100)
    gone = SkuFactory(product=ProductFactory(status=ProductStatus.OFF_SALE), stock=5)
    buyers = [UserFactory(roles=[Role.BUYER]) for _ in range(12)]
    buys = [_buy(b, [(hot.pk, 1 + n % 2)]) for n, b in enumerate(buyers)]
    # One buyer of the batch also asks for an item off sale, in English.
    buys[5] = _buy(buyers[5], [(hot.pk, 1), (gone.pk, 1)], language="en")
    batches, written = _combiner.batches, _combiner.written

    outcomes = _crowd(buys, hot=hot)

    assert (_combiner.batches - batches, _combiner.written - written) == (2, 12)
    refused = outcomes.pop(5)
    assert isinstance(refused, DomainError) and refused.status == 422
    assert str(refused.message) == "Some items are no longer on sale."
    assert all(getattr(o, "created", False) for o in outcomes), outcomes
    mine = {o.checkout.buyer_id: o.checkout.pk for o in outcomes}
    assert mine == dict(Checkout.objects.values_list("buyer_id", "pk"))
    wanted = sum(1 + n % 2 for n in range(12) if n != 5)
    hot.refresh_from_db()
    gone.refresh_from_db()
    assert (hot.stock, gone.stock) == (100 - wanted, 5)
    assert OrderLine.objects.filter(sku=hot).count() == 11
    # A ledger row per take, as if taken one by one: every stock level on the way, once.
    ledger = StockEntry.objects.filter(sku=hot).order_by("-stock_after")
    assert [e.ref for e in ledger] == [
        o.orders[0].order.number for o in sorted(outcomes, key=lambda o: o.checkout.pk)
    ]
    levels = [100]
    for entry in ledger:
        assert entry.stock_after == levels[-1] + entry.delta
        levels.append(entry.stock_after)
    assert {e.by_id for e in ledger} == {b.pk for n, b in enumerate(buyers) if n != 5}
    # One stock event per SKU and batch, with the stock after it.
    moves = OutboxEvent.objects.filter(name="sku.stock_changed").order_by("id")
    assert [(e.payload["stock"], e.payload["delta"]) for e in moves] == [
        (100 - 1, -1),
        (100 - wanted, -(wanted - 1)),
    ]


def test_a_batch_beyond_the_stock_it_read_sells_out_the_rest_without_writing() -> None:
    hot = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=4)
    buyers = [UserFactory(roles=[Role.BUYER]) for _ in range(6)]
    batches = _combiner.batches

    outcomes = _crowd([_buy(b, [(hot.pk, 1)]) for b in buyers], hot=hot)

    assert _combiner.batches - batches == 2
    assert sorted(type(o).__name__ for o in outcomes) == ["Placed"] * 4 + ["StockInsufficient"] * 2
    hot.refresh_from_db()
    assert hot.stock == 0
    assert Order.objects.count() == OrderLine.objects.count() == 4
    ledger = sorted(StockEntry.objects.filter(sku=hot).values_list("stock_after", flat=True))
    assert ledger == [0, 1, 2, 3]


def test_a_batch_the_update_finds_short_goes_one_by_one() -> None:
    """The stock falls between the batch's read and its update (a merchant's correction):
    the batch as a whole is refused by the conditional update, and each buyer is then
    served alone, in order, as if no batch had formed."""
    cold = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=9)
    hot = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=10)
    buyers = [UserFactory(roles=[Role.BUYER]) for _ in range(6)]
    buys = [_buy(buyers[0], [(cold.pk, 1)])] + [_buy(b, [(hot.pk, 1)]) for b in buyers[1:]]
    outcomes: list[object] = [None] * len(buys)

    def run(n: int) -> None:
        try:
            outcomes[n] = buys[n]()
        except Exception as exc:
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(buys))]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as hot_lock, psycopg.connect(**params) as cold_lock:
        cold_lock.execute("SELECT 1 FROM catalog_sku WHERE id = %s FOR UPDATE", [cold.pk])
        threads[0].start()  # the first batch: the cold SKU, waiting for its lock
        _until(lambda: waiting_for_a_lock() == 1, "the first batch waits")
        for thread in threads[1:]:
            thread.start()
        _until(lambda: _combiner.waiting() == 5, "five hot buyers queue")
        hot_lock.execute("SELECT 1 FROM catalog_sku WHERE id = %s FOR UPDATE", [hot.pk])
        cold_lock.commit()  # the second batch reads 10 units, then waits for the hot row
        _until(lambda: waiting_for_a_lock() == 1 and _combiner.waiting() == 0, "batch two")
        hot_lock.execute("UPDATE catalog_sku SET stock = 2 WHERE id = %s", [hot.pk])
        hot_lock.commit()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(o).__name__ for o in outcomes) == ["Placed"] * 3 + ["StockInsufficient"] * 3
    hot.refresh_from_db()
    assert hot.stock == 0
    assert OrderLine.objects.filter(sku=hot).count() == 2


def test_one_buyer_twice_at_once_is_never_in_one_batch() -> None:
    hot = SkuFactory(product=ProductFactory(status=ProductStatus.ON_SALE), stock=50)
    first, twice = UserFactory(roles=[Role.BUYER]), UserFactory(roles=[Role.BUYER])
    buys = [
        _buy(first, [(hot.pk, 1)]),
        _buy(twice, [(hot.pk, 2)], key="same"),
        _buy(twice, [(hot.pk, 2)], key="same"),
        _buy(twice, [(hot.pk, 3)], key="other"),
    ]
    batches = _combiner.batches

    outcomes = _crowd(buys, hot=hot)

    assert _combiner.batches - batches == 4  # the first, then one per batch for `twice`
    created = [getattr(o, "created", o) for o in outcomes]
    assert (created[0], sorted(created[1:3]), created[3]) == (True, [False, True], True)
    assert outcomes[1].checkout.pk == outcomes[2].checkout.pk
    assert Checkout.objects.filter(buyer=twice).count() == 2
    hot.refresh_from_db()
    assert hot.stock == 50 - 1 - 2 - 3
