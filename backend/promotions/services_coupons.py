"""Coupons: created for a session (or a campaign's sessions, a seller, products), claimed
by buyers under a total and a per-user limit, returned when their unpaid orders are
cancelled. Spending them is services_checkout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Organisation, User
from backend.common.errors import Conflict, DomainError, NotFound
from backend.live.broadcast import room_broadcast
from backend.live.models import LiveSession
from backend.orders.models import Order
from backend.promotions.errors import PromotionErrorCode as E
from backend.promotions.models import Coupon, CouponGrant, CouponKind, GrantState
from backend.promotions.windows import window_close_now


@dataclass(frozen=True)
class CouponTerms:
    name: str
    kind: str
    amount_off: Decimal
    percent_off: int
    threshold: Decimal
    total_quantity: int
    per_user_limit: int
    claim_starts_at: datetime
    claim_ends_at: datetime
    valid_until: datetime
    stackable: bool = False


def _invalid(message: str, **extra: object) -> DomainError:
    return DomainError(message, code=E.COUPON_INVALID, status=422, extra=dict(extra))


def _terms_check(terms: CouponTerms) -> None:
    if terms.kind == CouponKind.AMOUNT and not (terms.amount_off > 0 and terms.percent_off == 0):
        raise _invalid(_("An amount-off coupon needs an amount above 0."), field="amount_off")
    if terms.kind == CouponKind.PERCENT and not (
        1 <= terms.percent_off <= 99 and terms.amount_off == 0
    ):
        raise _invalid(_("A percentage must be between 1 and 99."), field="percent_off")
    if not terms.claim_starts_at < terms.claim_ends_at <= terms.valid_until:
        raise _invalid(
            _("The claim window must open before it closes, and the coupon stay valid after."),
            field="claim_ends_at",
        )
    if terms.total_quantity < 1 or terms.per_user_limit < 1:
        raise _invalid(_("Quantity and per-user limit must be at least 1."), field="total_quantity")


def coupon_create(
    *,
    by: User,
    terms: CouponTerms,
    sessions: list[LiveSession] | None = None,
    seller: Organisation | None = None,
    product_ids: list[int] | None = None,
) -> Coupon:
    _terms_check(terms)
    with transaction.atomic():
        coupon = Coupon.objects.create(created_by=by, seller=seller, **terms.__dict__)
        if sessions:
            coupon.sessions.set(sessions)
        if product_ids:
            coupon.products.set(product_ids)
    return coupon


def coupon_claim(*, user: User, coupon_id: int) -> CouponGrant:
    """One more grant for the user, within the claim window, the total and the user's limit.
    The total is a conditional update of the coupon row (serialises claims, never over);
    the per-user limit is the unique (coupon, user, ordinal) key (two taps at once: one
    wins, the other is refused)."""
    now = timezone.now()
    coupon = Coupon.objects.filter(pk=coupon_id).first()
    if coupon is None:
        raise NotFound()
    if not coupon.claim_starts_at <= now < coupon.claim_ends_at:
        raise Conflict(
            _("This coupon cannot be claimed now."),
            code=E.COUPON_NOT_CLAIMABLE,
            extra={"claim_starts_at": coupon.claim_starts_at.isoformat(),
                   "claim_ends_at": coupon.claim_ends_at.isoformat()},
        )  # fmt: skip
    try:
        with transaction.atomic():
            held = CouponGrant.objects.filter(coupon=coupon, user=user).count()
            if held >= coupon.per_user_limit:
                raise _user_limit(coupon)
            taken = Coupon.objects.filter(
                pk=coupon.pk, claimed_count__lt=F("total_quantity")
            ).update(claimed_count=F("claimed_count") + 1)
            if not taken:
                raise Conflict(_("All of this coupon has been claimed."), code=E.COUPON_GONE)
            grant = CouponGrant.objects.create(coupon=coupon, user=user, ordinal=held + 1)
            _claimed_broadcast(coupon)
            return grant
    except IntegrityError:
        raise _user_limit(coupon) from None


def coupon_claims_stop(*, coupon: Coupon) -> Coupon:
    """The streamer stops the claims now (grants already made stay usable until
    valid_until); the room is told. Stopping twice changes nothing."""
    with transaction.atomic():
        coupon, changed = window_close_now(
            model=Coupon, pk=coupon.pk, opens="claim_starts_at", closes="claim_ends_at"
        )
        if not changed:
            return coupon
        left = coupon.total_quantity - coupon.claimed_count
        for session_id in coupon.sessions.values_list("pk", flat=True):
            room_broadcast(session_id, "promo.coupon",
                           {"coupon_id": coupon.pk, "left": left, "closed": True})  # fmt: skip
    return coupon


def _user_limit(coupon: Coupon) -> Conflict:
    return Conflict(
        _("You have claimed this coupon as many times as allowed."),
        code=E.COUPON_USER_LIMIT,
        extra={"limit": coupon.per_user_limit},
    )


def _claimed_broadcast(coupon: Coupon) -> None:
    claimed = Coupon.objects.values_list("claimed_count", flat=True).get(pk=coupon.pk)
    left = coupon.total_quantity - claimed
    for session_id in coupon.sessions.values_list("pk", flat=True):
        room_broadcast(session_id, "promo.coupon", {"coupon_id": coupon.pk, "left": left})


def coupons_return_for(*, checkout_number: str) -> int:
    """Give back the coupons of a checkout once every order of it was cancelled unpaid
    (expired or cancelled by the buyer). A paid order keeps its coupon (refund rule:
    docs/decisions/0720). Safe to run twice."""
    orders = Order.objects.filter(checkout__number=checkout_number)
    if (
        orders.exclude(status=Order.Status.CANCELLED).exists()
        or orders.filter(paid_at__isnull=False).exists()
    ):
        return 0
    with transaction.atomic():
        grants = list(
            CouponGrant.objects.select_for_update().filter(
                checkout__number=checkout_number, state=GrantState.USED
            )
        )
        for grant in grants:
            Coupon.objects.filter(pk=grant.coupon_id).update(used_count=F("used_count") - 1)
        CouponGrant.objects.filter(pk__in=[g.pk for g in grants]).update(
            state=GrantState.AVAILABLE, checkout=None, used_at=None
        )
    return len(grants)
