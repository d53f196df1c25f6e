"""Flash sales: the Redis gate in front, PostgreSQL as the truth. A crowd at once never
buys more than the quantity, even when the gate's Redis is flushed mid-sale."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from backend.accounts.models import User
from backend.common.errors import DomainError
from backend.common.models import EventDelivery
from backend.common.outbox import delivery_run
from backend.live import room_state
from backend.orders.models import Order
from backend.orders.services_payment import orders_expire_unpaid
from backend.promotions import gate
from backend.promotions.services_flash import FlashTerms, flash_buy, flash_create
from tests.backend.promotions.conftest import WHO

D = Decimal


@pytest.fixture
def sale_of(streamer, lineup, skus):
    def make(quantity=30, cap=1, stock=None):
        honey = skus["honey"]
        honey.stock = quantity if stock is None else stock
        honey.save(update_fields=["stock"])
        now = timezone.now()
        terms = FlashTerms(sku_id=honey.pk, price=D("39.90"), quantity=quantity,
                           per_buyer_cap=cap, starts_at=now - timedelta(seconds=1),
                           ends_at=now + timedelta(minutes=5))  # fmt: skip
        return flash_create(by=streamer, session=lineup, terms=terms)

    return make


def _buy(user, sale, key=None, quantity=1):
    return flash_buy(buyer=user, sale_id=sale.pk, quantity=quantity, consignee=WHO,
                     idempotency_key=key or uuid.uuid4().hex)  # fmt: skip


def _crowd(sale, n, on_ok=None):
    users = User.objects.bulk_create(User(username=f"crowd{i}") for i in range(n))
    codes: list[str] = []
    lock = threading.Lock()

    def buy(user: User) -> None:
        try:
            _buy(user, sale)
            with lock:
                codes.append("ok")
                if on_ok:
                    on_ok(codes.count("ok"))
        except DomainError as refused:
            with lock:
                codes.append(str(refused.code))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(buy, users))
    return codes


def _assert_sold_exactly(sale, skus, codes, quantity):
    sale.refresh_from_db()
    skus["honey"].refresh_from_db()
    orders = Order.objects.filter(lines__price_source=f"flash:{sale.pk}")
    assert (codes.count("ok"), orders.count(), sale.sold, skus["honey"].stock) == (
        quantity,
        quantity,
        quantity,
        0,
    )
    assert {o.paid_amount for o in orders} == {D("39.90")}


@pytest.mark.django_db(transaction=True)
def test_300_buyers_at_once_on_30_units_buy_exactly_30(sale_of, skus) -> None:
    sale = sale_of(quantity=30)
    codes = _crowd(sale, 300)
    _assert_sold_exactly(sale, skus, codes, 30)
    assert codes.count("promotions.flash_sold_out") == 270
    frames = [f for f in room_state.feed_recent(sale.session_id, 50) if f["type"] == "promo.flash"]
    assert frames == [{"type": "promo.flash", "payload": {
        "flash_id": sale.pk, "sku_id": sale.sku_id, "left": 0, "sold_out": True}}]  # fmt: skip


@pytest.fixture
def gate_on_own_redis(settings, own_redis):
    _proc, port = own_redis
    settings.FLASH_GATE_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    return gate.client()


@pytest.mark.django_db(transaction=True)
def test_the_same_when_the_gates_redis_is_flushed_mid_sale(
    gate_on_own_redis, sale_of, skus
) -> None:
    sale = sale_of(quantity=30)
    flushed = []

    def flush_at_ten(ok: int) -> None:
        if ok == 10 and not flushed:
            gate_on_own_redis.flushall()
            flushed.append(True)

    codes = _crowd(sale, 300, on_ok=flush_at_ten)
    assert flushed == [True]
    _assert_sold_exactly(sale, skus, codes, 30)


@pytest.mark.django_db
def test_over_the_cap_is_refused_and_a_double_tap_buys_once(buyer, sale_of) -> None:
    sale = sale_of(quantity=5, cap=1)
    first = _buy(buyer, sale, key="tap-tap-1")
    again = _buy(buyer, sale, key="tap-tap-1")
    assert (again.checkout.pk, again.created) == (first.checkout.pk, False)
    with pytest.raises(DomainError) as capped:
        _buy(buyer, sale, key="another-1")
    assert capped.value.code == "promotions.flash_over_cap"
    sale.refresh_from_db()
    assert (sale.sold, Order.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_an_admission_whose_order_fails_gives_its_unit_back(buyer, make_user, sale_of) -> None:
    sale = sale_of(quantity=5, stock=1)  # the shelf holds fewer than the sale
    _buy(make_user(username="early"), sale)
    left_before = int(gate.client().get(gate._keys(sale.pk)[0]))
    with pytest.raises(DomainError):
        _buy(buyer, sale)
    assert int(gate.client().get(gate._keys(sale.pk)[0])) == left_before == 4
    sale.refresh_from_db()
    assert (sale.sold, Order.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_the_gate_is_rebuilt_from_the_database(buyer, make_user, sale_of) -> None:
    sale = sale_of(quantity=3, cap=1)
    _buy(buyer, sale)
    gate.client().delete(*gate._keys(sale.pk))
    with pytest.raises(DomainError) as capped:  # the buyer's unit is remembered
        _buy(buyer, sale)
    assert capped.value.code == "promotions.flash_over_cap"
    assert int(gate.client().get(gate._keys(sale.pk)[0])) == 2


@pytest.mark.django_db
def test_an_unpaid_flash_order_that_expires_gives_its_unit_back(
    buyer, sale_of, django_capture_on_commit_callbacks
) -> None:
    sale = sale_of(quantity=2)
    placed = _buy(buyer, sale)
    Order.objects.filter(checkout=placed.checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert orders_expire_unpaid() == 1
    (delivery,) = EventDelivery.objects.filter(handler__endswith="flash_units_back_on_cancel")
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_run(delivery_id=delivery.pk) == "succeeded"
    sale.refresh_from_db()
    assert (sale.sold, int(gate.client().get(gate._keys(sale.pk)[0]))) == (0, 2)
    again = _buy(buyer, sale)  # the buyer's cap is free again too
    assert again.created


@pytest.mark.django_db
def test_a_sold_out_answer_reads_nothing_from_postgresql(
    buyer, make_user, sale_of, django_assert_num_queries
) -> None:
    sale = sale_of(quantity=1)
    _buy(make_user(username="first"), sale)
    with django_assert_num_queries(0), pytest.raises(DomainError) as refused:
        _buy(buyer, sale)
    assert refused.value.code == "promotions.flash_sold_out"
