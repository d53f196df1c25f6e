"""Demo data of promotions on the demo session: a coupon to claim, a flash sale and a
lottery (福袋) whose prize is that coupon. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from backend.live.models import LiveSession, SessionState
from backend.promotions.models import Coupon, FlashSale, Lottery
from backend.promotions.services_coupons import CouponTerms, coupon_create
from backend.promotions.services_flash import FlashTerms, flash_create
from backend.promotions.services_lottery import LotteryTerms, lottery_create

DEMO_COUPON = "直播间专享：满 50 减 8"
FEN = Decimal("0.01")


def _demo_session() -> LiveSession | None:
    open_states = [SessionState.SCHEDULED, SessionState.REHEARSAL, SessionState.LIVE]
    return (
        LiveSession.objects.filter(streamer__username="streamer", state__in=open_states)
        .order_by("id")
        .first()
    )


def _demo_coupon(session: LiveSession) -> Coupon:
    found = Coupon.objects.filter(sessions=session, name=DEMO_COUPON).first()
    if found is not None:
        return found
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
    return coupon_create(by=session.streamer, terms=terms, sessions=[session])


def _demo_flash(session: LiveSession) -> None:
    item = session.lineup.order_by("position", "id").first()
    if item is None or FlashSale.objects.filter(session=session).exists():
        return
    now = timezone.now()
    terms = FlashTerms(
        sku_id=item.sku_id,
        price=(item.live_price * Decimal("0.8")).quantize(FEN),
        quantity=20,
        per_buyer_cap=2,
        starts_at=now,
        ends_at=now + timedelta(days=1),
    )
    flash_create(by=session.streamer, session=session, terms=terms)


def _demo_lottery(session: LiveSession, coupon: Coupon) -> None:
    if Lottery.objects.filter(session=session).exists():
        return
    now = timezone.now()
    terms = LotteryTerms(
        title="福袋：评论“沁水好物”抽 3 张优惠券",
        entry_kind="keyword",
        keyword="沁水好物",
        rules="开播期间评论关键词即可参与，无需购买；每人一次。",
        prize_value=Decimal("8.00"),
        winners_count=3,
        opens_at=now,
        closes_at=now + timedelta(minutes=30),
        draw_at=now + timedelta(minutes=30),
        prize_coupon=coupon,
    )
    lottery_create(by=session.streamer, session=session, terms=terms)


def demo_promotions_write(write: Callable[[str], None]) -> None:
    session = _demo_session()
    if session is None:
        return
    coupon = _demo_coupon(session)
    _demo_flash(session)
    _demo_lottery(session, coupon)
    write(f"promotions: a coupon, a flash sale and a lottery in session {session.pk}")
