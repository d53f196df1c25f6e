"""Claiming coupons: the window, the per-user limit and the total, one at a time and with a
crowd at once (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from backend.accounts.models import User
from backend.common.errors import DomainError
from backend.promotions.models import Coupon, CouponGrant
from backend.promotions.services_coupons import coupon_claim


@pytest.mark.django_db
def test_a_claim_outside_the_window_changes_nothing(buyer, make_coupon) -> None:
    later = make_coupon(claim_starts_at=timezone.now() + timedelta(minutes=5))
    with pytest.raises(DomainError) as refused:
        coupon_claim(user=buyer, coupon_id=later.pk)
    assert refused.value.code == "promotions.coupon_not_claimable"
    later.refresh_from_db()
    assert (later.claimed_count, CouponGrant.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_per_user_limit_then_the_last_coupon(buyer, make_user, make_coupon) -> None:
    coupon = make_coupon(total_quantity=3, per_user_limit=2)
    coupon_claim(user=buyer, coupon_id=coupon.pk)
    coupon_claim(user=buyer, coupon_id=coupon.pk)
    with pytest.raises(DomainError) as limited:
        coupon_claim(user=buyer, coupon_id=coupon.pk)
    assert (limited.value.code, limited.value.extra) == (
        "promotions.coupon_user_limit",
        {"limit": 2},
    )
    other, third = make_user(username="b2"), make_user(username="b3")
    coupon_claim(user=other, coupon_id=coupon.pk)
    with pytest.raises(DomainError) as gone:
        coupon_claim(user=third, coupon_id=coupon.pk)
    assert gone.value.code == "promotions.coupon_gone"
    coupon.refresh_from_db()
    assert coupon.claimed_count == 3
    assert sorted(CouponGrant.objects.values_list("user__username", "ordinal")) == [
        ("b2", 1),
        ("buyer1", 1),
        ("buyer1", 2),
    ]


@pytest.mark.django_db(transaction=True)
def test_200_claims_at_once_on_20_coupons_give_exactly_20(make_coupon) -> None:
    coupon = make_coupon(total_quantity=20)
    users = User.objects.bulk_create(User(username=f"crowd{i}") for i in range(200))
    codes: list[str] = []

    def claim(user: User) -> None:
        try:
            coupon_claim(user=user, coupon_id=coupon.pk)
            codes.append("ok")
        except DomainError as refused:
            codes.append(refused.code)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(claim, users))
    coupon.refresh_from_db()
    assert (codes.count("ok"), codes.count("promotions.coupon_gone")) == (20, 180)
    assert coupon.claimed_count == 20
    assert CouponGrant.objects.filter(coupon=coupon).count() == 20


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_claims_once(buyer, make_coupon) -> None:
    coupon = make_coupon()
    codes: list[str] = []
    start = threading.Barrier(2)

    def claim() -> None:
        start.wait(timeout=5)
        try:
            coupon_claim(user=buyer, coupon_id=coupon.pk)
            codes.append("ok")
        except DomainError as refused:
            codes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == ["ok", "promotions.coupon_user_limit"]
    assert Coupon.objects.get().claimed_count == 1
