"""Reads of promotions, shaped for the API."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.promotions.models import Coupon, CouponGrant, GrantState
from backend.promotions.schemas import CouponOut, GrantOut


def coupon_out(coupon: Coupon) -> CouponOut:
    return CouponOut(
        id=coupon.pk,
        name=coupon.name,
        kind=coupon.kind,
        amount_off=f"{coupon.amount_off:.2f}",
        percent_off=coupon.percent_off,
        threshold=f"{coupon.threshold:.2f}",
        total_quantity=coupon.total_quantity,
        claimed=coupon.claimed_count,
        used=coupon.used_count,
        left=coupon.total_quantity - coupon.claimed_count,
        per_user_limit=coupon.per_user_limit,
        claim_starts_at=timezone.localtime(coupon.claim_starts_at),
        claim_ends_at=timezone.localtime(coupon.claim_ends_at),
        valid_until=timezone.localtime(coupon.valid_until),
        stackable=coupon.stackable,
    )


def session_coupons(*, session_id: int) -> list[CouponOut]:
    rows: QuerySet[Coupon] = Coupon.objects.filter(sessions__pk=session_id).order_by("id")
    return [coupon_out(c) for c in rows]


def grants_of_one(grant: CouponGrant) -> GrantOut:
    return GrantOut(
        id=grant.pk, coupon=coupon_out(grant.coupon), state=grant.state, claimed_at=grant.claimed_at
    )


def grants_of(*, user: User) -> list[GrantOut]:
    rows = CouponGrant.objects.select_related("coupon").filter(
        user=user, state=GrantState.AVAILABLE, coupon__valid_until__gt=timezone.now()
    )
    return [grants_of_one(g) for g in rows]
