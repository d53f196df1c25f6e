"""Spending coupons: live prices, the split to the fen across sellers, threshold and
stacking refusals, the coupon back when the unpaid order expires, kept when refunded."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.common.errors import DomainError
from backend.common.models import EventDelivery
from backend.common.outbox import delivery_run
from backend.orders.models import Checkout, Order
from backend.orders.services import order_move, order_refund_request
from backend.orders.services_payment import orders_expire_unpaid
from backend.orders.services_refund import refund_open
from backend.promotions.models import Coupon, CouponGrant
from backend.promotions.services_checkout import Basket, promo_checkout
from backend.promotions.services_coupons import coupon_claim
from tests.backend.promotions.conftest import WHO

pytestmark = pytest.mark.django_db
D = Decimal


def _buy(buyer, items, grants=(), session=None, key=None):
    basket = Basket(items=[(s.pk, q) for s, q in items], consignee=WHO, session_id=session)
    return promo_checkout(
        buyer=buyer,
        idempotency_key=key or uuid.uuid4().hex,
        basket=basket,
        grant_ids=[g.pk for g in grants],
    )


def _orders(placed):
    return sorted(Order.objects.filter(checkout=placed.checkout), key=lambda o: o.seller_id)


def test_a_coupon_in_the_room_at_live_prices_split_to_the_fen(buyer, skus, lineup, make_coupon):
    coupon = make_coupon(sessions=[lineup], amount_off=D("10.00"), threshold=D("100.00"))
    grant = coupon_claim(user=buyer, coupon_id=coupon.pk)
    placed = _buy(buyer, [(skus["honey"], 1), (skus["millet"], 1)], [grant], session=lineup.pk)
    honey, millet = _orders(placed)
    # 59.00 + 45.00 = 104.00; 10.00 × 59/104 = 5.673… → 5.67, × 45/104 = 4.326… → 4.33
    assert [(o.goods_amount, o.discount_amount, o.paid_amount) for o in (honey, millet)] == [
        (D("59.00"), D("5.67"), D("53.33")),
        (D("45.00"), D("4.33"), D("40.67")),
    ]
    assert honey.discounts == [{"source": f"coupon:{grant.pk}", "amount": "5.67"}]
    assert (honey.source_kind, honey.source_ref) == ("live", str(lineup.pk))
    line = honey.lines.get()
    assert (line.unit_price, line.list_price, line.price_source) == (
        D("59.00"),
        D("68.00"),
        f"live:{lineup.pk}",
    )
    assert placed.checkout.total_amount == D("94.00")
    grant.refresh_from_db()
    assert (grant.state, grant.checkout_id) == ("used", placed.checkout.pk)
    assert Coupon.objects.get().used_count == 1


def test_a_coupon_below_its_threshold_is_refused_with_the_reason(buyer, skus, make_coupon):
    grant = coupon_claim(user=buyer, coupon_id=make_coupon(threshold=D("50.00")).pk)
    with pytest.raises(DomainError) as refused:
        _buy(buyer, [(skus["vinegar"], 2)], [grant])
    assert (refused.value.code, refused.value.extra) == (
        "promotions.coupon_below_threshold",
        {"grant_id": grant.pk, "threshold": "50.00", "eligible": "40.00"},
    )
    assert (Checkout.objects.count(), CouponGrant.objects.get().state) == (0, "available")
    skus["vinegar"].refresh_from_db()
    assert skus["vinegar"].stock == 10


def test_two_coupons_on_one_shop_order_need_to_be_stackable(buyer, skus, make_coupon):
    first = coupon_claim(user=buyer, coupon_id=make_coupon(threshold=D("0")).pk)
    tenth = make_coupon(threshold=D("0"), kind="percent", amount_off=D("0"), percent_off=10)
    second = coupon_claim(user=buyer, coupon_id=tenth.pk)
    with pytest.raises(DomainError) as refused:
        _buy(buyer, [(skus["honey"], 1)], [first, second])
    assert refused.value.code == "promotions.coupon_not_stackable"
    assert Order.objects.count() == 0


def test_a_percentage_rounds_down_to_the_fen(buyer, skus, make_coupon):
    coupon = make_coupon(kind="percent", amount_off=D("0"), percent_off=15, threshold=D("0"))
    grant = coupon_claim(user=buyer, coupon_id=coupon.pk)
    placed = _buy(buyer, [(skus["millet"], 1)], [grant])
    (order,) = _orders(placed)
    assert (order.discount_amount, order.paid_amount) == (D("7.48"), D("42.42"))  # 7.485


def test_the_coupon_comes_back_when_the_unpaid_order_expires(buyer, skus, make_coupon):
    grant = coupon_claim(user=buyer, coupon_id=make_coupon().pk)
    placed = _buy(buyer, [(skus["honey"], 1), (skus["vinegar"], 1)], [grant])
    Order.objects.filter(checkout=placed.checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert orders_expire_unpaid() == 2
    deliveries = EventDelivery.objects.filter(handler__startswith="backend.promotions")
    assert deliveries.count() == 2
    for delivery in deliveries:
        assert delivery_run(delivery_id=delivery.pk) == "succeeded"
    grant.refresh_from_db()
    assert (grant.state, grant.checkout_id, grant.used_at) == ("available", None, None)
    assert Coupon.objects.get().used_count == 0
    again = _buy(buyer, [(skus["honey"], 1)], [grant])
    assert _orders(again)[0].discount_amount == D("10.00")


def test_a_refund_pays_back_what_was_paid_and_keeps_the_coupon_spent(buyer, skus, make_coupon):
    grant = coupon_claim(user=buyer, coupon_id=make_coupon().pk)
    (order,) = _orders(_buy(buyer, [(skus["honey"], 1)], [grant]))
    order_move(order=order, to="paid", by=None, paid_at=timezone.now())
    requested = order_refund_request(order=order, by=buyer, reason="不想要了")
    refund = refund_open(order=requested, reason="不想要了", by=None)
    assert refund.amount == D("58.00")  # what was paid goes back, not the 10.00 off
    assert not EventDelivery.objects.filter(handler__startswith="backend.promotions").exists()
    grant.refresh_from_db()
    assert grant.state == "used"


def test_the_same_key_twice_buys_once_and_spends_the_coupon_once(buyer, skus, make_coupon):
    grant = coupon_claim(user=buyer, coupon_id=make_coupon().pk)
    first = _buy(buyer, [(skus["honey"], 1)], [grant], key="same-key-1")
    again = _buy(buyer, [(skus["honey"], 1)], [grant], key="same-key-1")
    assert (again.checkout.pk, again.created) == (first.checkout.pk, False)
    assert Order.objects.count() == 1
