"""The checkout's terms for every caller: set prices, discounts split to the fen, and the
payment kind (a prize is paid at once and never counted as a sale)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from backend.catalog.models import ProductStatus
from backend.common.errors import DomainError
from backend.common.models import OutboxEvent
from backend.orders.models import Checkout, Order, OrderLine
from backend.orders.pricing import Discount, LinePrice, split_to_fen
from backend.orders.services import Consignee, checkout_place
from tests.backend.orders.conftest import ADDRESS
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db

WHO = Consignee(name="张女士", phone="13912345678", address=ADDRESS)
D = Decimal
ON_SALE = ProductStatus.ON_SALE


def _place(buyer, items, **terms):
    return checkout_place(
        buyer=buyer, idempotency_key=uuid.uuid4().hex, items=items, consignee=WHO, **terms
    )


def test_split_to_fen_gives_the_left_over_fen_to_the_largest_remainders() -> None:
    assert split_to_fen(D("10.00"), {1: D("1"), 2: D("1"), 3: D("1")}) == {
        1: D("3.34"),
        2: D("3.33"),
        3: D("3.33"),
    }
    assert split_to_fen(D("0.05"), {7: D("19.90"), 3: D("0.10"), 5: D("80.00")}) == {
        3: D("0.00"),
        5: D("0.04"),
        7: D("0.01"),
    }


def test_a_discount_is_split_to_the_fen_across_three_sellers(buyer) -> None:
    skus = [
        SkuFactory(
            product=ProductFactory(seller=OrganisationFactory(), status=ON_SALE), price=price
        )
        for price in ("10.00", "10.00", "10.00")
    ]
    placed = _place(
        buyer,
        [(s.pk, 1) for s in skus],
        discounts=[Discount(amount=D("10.00"), source="coupon:9")],
    )
    orders = sorted(Order.objects.filter(checkout=placed.checkout), key=lambda o: o.seller_id)
    assert [o.discount_amount for o in orders] == [D("3.34"), D("3.33"), D("3.33")]
    assert [o.paid_amount for o in orders] == [D("6.66"), D("6.67"), D("6.67")]
    assert orders[0].discounts == [{"source": "coupon:9", "amount": "3.34"}]
    assert Checkout.objects.get().total_amount == D("20.00")


def test_a_set_price_and_a_scoped_discount_are_recorded_with_their_sources(buyer, skus) -> None:
    honey, millet = skus["honey"], skus["millet"]
    placed = _place(
        buyer,
        [(honey.pk, 2), (millet.pk, 1)],
        prices={honey.pk: LinePrice(price=D("59.00"), source="live:4")},
        discounts=[Discount(amount=D("5.00"), source="coupon:2", sku_ids=frozenset({honey.pk}))],
        source_kind="live",
        source_ref="4",
    )
    line = OrderLine.objects.get(sku=honey)
    assert (line.unit_price, line.list_price, line.price_source, line.line_amount) == (
        D("59.00"),
        D("68.00"),
        "live:4",
        D("118.00"),
    )
    by_seller = {o.seller_id: o for o in Order.objects.filter(checkout=placed.checkout)}
    honey_order, millet_order = by_seller[honey.seller_id], by_seller[millet.seller_id]
    assert (honey_order.goods_amount, honey_order.discount_amount, honey_order.paid_amount) == (
        D("118.00"),
        D("5.00"),
        D("113.00"),
    )
    assert (millet_order.discount_amount, millet_order.paid_amount) == (D("0"), D("49.90"))
    assert placed.checkout.total_amount == D("162.90")


def test_a_discount_over_its_goods_is_refused_and_nothing_is_written(buyer, skus) -> None:
    with pytest.raises(DomainError) as refused:
        _place(
            buyer,
            [(skus["millet"].pk, 1)],
            discounts=[Discount(amount=D("50.00"), source="coupon:3")],
        )
    assert (refused.value.code, refused.value.extra) == (
        "order.discount_invalid",
        {"source": "coupon:3"},
    )
    assert (Checkout.objects.count(), Order.objects.count()) == (0, 0)
    skus["millet"].refresh_from_db()
    assert skus["millet"].stock == 5


def test_a_prize_is_paid_at_once_and_its_events_say_so(buyer, skus) -> None:
    honey = skus["honey"]
    placed = _place(
        buyer,
        [(honey.pk, 1)],
        prices={honey.pk: LinePrice(price=D("0.00"), source="lottery:5")},
        payment_kind="prize",
        source_kind="live",
        source_ref="4",
    )
    order = Order.objects.get(checkout=placed.checkout)
    assert (order.status, order.paid_amount, order.payment_kind) == ("paid", D("0.00"), "prize")
    assert order.paid_at is not None and order.expires_at is None
    assert [(e.from_status, e.to_status) for e in order.timeline.all()] == [
        ("", "created"),
        ("created", "paid"),
    ]
    events = OutboxEvent.objects.filter(name__startswith="order.").order_by("id")
    assert [(e.name, e.payload["status"], e.payload["payment_kind"]) for e in events] == [
        ("order.created", "created", "prize"),
        ("order.paid", "paid", "prize"),
    ]
    # Not a sale: neither live's ticker nor incubation listens to it.
    assert not OutboxEvent.objects.get(name="order.paid").deliveries.exists()


def test_a_prize_that_costs_something_is_refused(buyer, skus) -> None:
    with pytest.raises(DomainError) as refused:
        _place(buyer, [(skus["honey"].pk, 1)], payment_kind="prize")
    assert refused.value.code == "order.amount_invalid"
    assert Order.objects.count() == 0


def test_cash_at_the_counter_is_paid_when_placed(buyer, skus) -> None:
    placed = _place(buyer, [(skus["millet"].pk, 2)], payment_kind="counter_cash")
    order = Order.objects.get(checkout=placed.checkout)
    assert (order.status, order.paid_amount, order.payment_kind) == (
        "paid",
        D("99.80"),
        "counter_cash",
    )
    paid = OutboxEvent.objects.get(name="order.paid")
    assert (paid.payload["payment_kind"], paid.payload["amount_paid"]) == ("counter_cash", "99.80")
