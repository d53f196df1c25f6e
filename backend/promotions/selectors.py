"""Reads of promotions, shaped for the API."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.live.services_metrics import name_mask
from backend.promotions.models import (
    Coupon,
    CouponGrant,
    EntryKind,
    FlashSale,
    GrantState,
    Lottery,
)
from backend.promotions.schemas import CouponOut, FlashOut, GrantOut, LotteryOut, ProofOut
from backend.promotions.services_lottery import keyword_commenters


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


def flash_out(sale: FlashSale) -> FlashOut:
    return FlashOut(
        id=sale.pk,
        sku_id=sale.sku_id,
        price=f"{sale.price:.2f}",
        quantity=sale.quantity,
        sold=sale.sold,
        left=sale.quantity - sale.sold,
        per_buyer_cap=sale.per_buyer_cap,
        starts_at=timezone.localtime(sale.starts_at),
        ends_at=timezone.localtime(sale.ends_at),
    )


def session_flash_sales(*, session_id: int) -> list[FlashOut]:
    return [flash_out(s) for s in FlashSale.objects.filter(session_id=session_id).order_by("id")]


def _entrants_so_far(lottery: Lottery) -> int:
    """Keyword entries are collected at the draw; before it, the commenters so far."""
    if lottery.entry_kind == EntryKind.KEYWORD and lottery.drawn_at is None:
        return keyword_commenters(lottery).count()
    return lottery.entries.count()


def lottery_out(lottery: Lottery) -> LotteryOut:
    return LotteryOut(
        id=lottery.pk,
        title=lottery.title,
        entry_kind=lottery.entry_kind,
        keyword=lottery.keyword,
        rules=lottery.rules,
        prize_value=f"{lottery.prize_value:.2f}",
        prize_coupon_id=lottery.prize_coupon_id,
        prize_sku_id=lottery.prize_sku_id,
        winners_count=lottery.winners_count,
        opens_at=timezone.localtime(lottery.opens_at),
        closes_at=timezone.localtime(lottery.closes_at),
        draw_at=timezone.localtime(lottery.draw_at),
        seed_hash=lottery.seed_hash,
        entrants=_entrants_so_far(lottery),
        drawn=lottery.drawn_at is not None,
    )


def session_lotteries(*, session_id: int) -> list[LotteryOut]:
    return [lottery_out(x) for x in Lottery.objects.filter(session_id=session_id).order_by("id")]


def lottery_proof(*, lottery: Lottery) -> ProofOut:
    drawn = lottery.drawn_at is not None
    entries = {e.pk: e for e in lottery.entries.select_related("user")} if drawn else {}
    return ProofOut(
        lottery_id=lottery.pk,
        seed_hash=lottery.seed_hash,
        seed=lottery.seed if drawn else None,
        entrants=sorted(entries),
        winners_count=lottery.winners_count,
        winners=list(lottery.winners),
        winner_names=[name_mask(str(entries[w].user)) for w in lottery.winners],
    )
