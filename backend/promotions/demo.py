"""Demo data of promotions: a coupon claimable in the demo session's room. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from backend.live.models import LiveSession, SessionState
from backend.promotions.models import Coupon
from backend.promotions.services_coupons import CouponTerms, coupon_create

DEMO_COUPON = "直播间专享：满 50 减 8"


def _demo_session() -> LiveSession | None:
    open_states = [SessionState.SCHEDULED, SessionState.REHEARSAL, SessionState.LIVE]
    return (
        LiveSession.objects.filter(streamer__username="streamer", state__in=open_states)
        .order_by("id")
        .first()
    )


def demo_promotions_write(write: Callable[[str], None]) -> None:
    session = _demo_session()
    if session is None:
        return
    if not Coupon.objects.filter(sessions=session, name=DEMO_COUPON).exists():
        now = timezone.now()
        terms = CouponTerms(
            name=DEMO_COUPON,
            kind="amount",
            amount_off=Decimal("8.00"),
            percent_off=0,
            threshold=Decimal("50.00"),
            total_quantity=100,
            per_user_limit=1,
            claim_starts_at=now,
            claim_ends_at=now + timedelta(days=1),
            valid_until=now + timedelta(days=7),
        )
        coupon_create(by=session.streamer, terms=terms, sessions=[session])
    write(f"promotions: coupon «{DEMO_COUPON}» in session {session.pk}")
