"""Lotteries (福袋): published before entry opens (prize, winners, rules, draw time and the
seed's hash), entered without purchase, drawn by draw.py from the revealed seed and the
entrant list, prizes paid exactly once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.audience.selectors import follows
from backend.common.errors import Conflict, DomainError, NotFound
from backend.live import room_state
from backend.live.broadcast import room_broadcast
from backend.live.models import Comment, LiveSession
from backend.live.services_metrics import name_mask
from backend.orders.models import PaymentKind, SourceKind
from backend.orders.pricing import LinePrice
from backend.orders.services import Consignee, checkout_place
from backend.promotions import draw
from backend.promotions.errors import PromotionErrorCode as E
from backend.promotions.models import (
    Coupon,
    CouponGrant,
    EntryKind,
    Lottery,
    LotteryEntry,
    LotteryPrize,
)

PRIZE_CAP = Decimal("50000")  # the legal cap for a prize promotion's cash-equivalent prize


@dataclass(frozen=True)
class LotteryTerms:
    title: str
    entry_kind: str
    keyword: str
    rules: str
    prize_value: Decimal
    winners_count: int
    opens_at: datetime
    closes_at: datetime
    draw_at: datetime
    prize_coupon: Coupon | None = None
    prize_sku_id: int | None = None


def _invalid(message: str, code: E = E.LOTTERY_INVALID) -> DomainError:
    return DomainError(message, code=code, status=422)


def _terms_check(terms: LotteryTerms) -> None:
    if terms.prize_value > PRIZE_CAP:
        raise _invalid(
            _("A prize worth more than 50,000 yuan is not allowed in a prize promotion."),
            code=E.LOTTERY_PRIZE_OVER_CAP,
        )
    if (terms.prize_coupon is None) == (terms.prize_sku_id is None):
        raise _invalid(_("A lottery has one prize: a coupon or a product."))
    if terms.entry_kind == EntryKind.KEYWORD and not terms.keyword.strip():
        raise _invalid(_("A keyword lottery needs its keyword."))
    if not (terms.opens_at < terms.closes_at <= terms.draw_at) or terms.winners_count < 1:
        raise _invalid(_("Entry must open, then close, then the draw; at least one winner."))


def lottery_create(*, by: User, session: LiveSession, terms: LotteryTerms) -> Lottery:
    """Published at once, with the hash of its secret seed; the seed itself is revealed at
    the draw."""
    _terms_check(terms)
    seed = secrets.token_hex(32)
    lottery = Lottery.objects.create(
        session=session,
        created_by=by,
        seed=seed,
        seed_hash=draw.seed_hash(seed),
        **{k: v for k, v in terms.__dict__.items() if k != "prize_sku_id"},
        prize_sku_id=terms.prize_sku_id,
    )
    room_broadcast(session.pk, "promo.lottery", {"lottery_id": lottery.pk, "state": "published",
                                                  "seed_hash": lottery.seed_hash})  # fmt: skip
    return lottery


def lottery_enter(*, user: User, lottery_id: int) -> LotteryEntry:
    """Enter by a like or a follow during the window (keyword entries come from comments)."""
    lottery = Lottery.objects.filter(pk=lottery_id).first()
    if lottery is None:
        raise NotFound()
    now = timezone.now()
    if lottery.entry_kind == EntryKind.KEYWORD or not lottery.opens_at <= now < lottery.closes_at:
        raise Conflict(_("This lottery cannot be entered now."), code=E.LOTTERY_NOT_OPEN)
    _entry_condition_check(lottery=lottery, user=user)
    entry, _created = LotteryEntry.objects.get_or_create(lottery=lottery, user=user)
    return entry


def _entry_condition_check(*, lottery: Lottery, user: User) -> None:
    """A like lottery takes those who liked the stream since it opened (the room's ticks
    record signed-in likers); a follow lottery takes the streamer's followers."""
    if lottery.entry_kind == EntryKind.LIKE:
        since = lottery.opens_at.timestamp()
        if not room_state.liked_since(lottery.session_id, user.pk, since=since):
            raise Conflict(_("Like the stream first, then enter."), code=E.LOTTERY_LIKE_FIRST)
    elif lottery.entry_kind == EntryKind.FOLLOW:
        streamer_id = LiveSession.objects.values_list("streamer_id", flat=True).get(
            pk=lottery.session_id
        )
        if not follows(user=user, streamer_id=streamer_id):
            raise Conflict(_("Follow the streamer first, then enter."), code=E.LOTTERY_FOLLOW_FIRST)


def keyword_commenters(lottery: Lottery) -> QuerySet[Comment, int]:
    """Who commented the keyword inside the window (visible comments only)."""
    comments = Comment.objects.filter(
        session_id=lottery.session_id,
        hidden=False,
        created_at__gte=lottery.opens_at,
        created_at__lt=lottery.closes_at,
        text__contains=lottery.keyword,
    )
    return comments.values_list("user_id", flat=True).distinct()


def _keyword_entrants(lottery: Lottery) -> None:
    users = keyword_commenters(lottery)
    LotteryEntry.objects.bulk_create(
        [LotteryEntry(lottery=lottery, user_id=u) for u in users], ignore_conflicts=True
    )


def lottery_draw(*, lottery_id: int) -> Lottery:
    """Draw once: the same winners however often it is asked. The entrant list is frozen
    at the draw (entries close before it)."""
    with transaction.atomic():
        lottery = Lottery.objects.select_for_update().get(pk=lottery_id)
        if lottery.drawn_at is not None:
            return lottery
        if timezone.now() < lottery.draw_at:
            raise Conflict(_("The draw is not due yet."), code=E.LOTTERY_NOT_DUE)
        if lottery.entry_kind == EntryKind.KEYWORD:
            _keyword_entrants(lottery)
        entrants = list(lottery.entries.values_list("pk", flat=True))
        lottery.winners = draw.winners(lottery.seed, entrants, lottery.winners_count)
        lottery.drawn_at = timezone.now()
        lottery.save(update_fields=["winners", "drawn_at"])
        names = [name_mask(str(e.user)) for e in _winner_entries(lottery)]
        room_broadcast(lottery.session_id, "promo.lottery", {
            "lottery_id": lottery.pk, "state": "drawn", "winners": names})  # fmt: skip
        transaction.on_commit(lambda: coupon_prizes_pay(lottery_id=lottery.pk))
    return lottery


def _winner_entries(lottery: Lottery) -> list[LotteryEntry]:
    by_id = {e.pk: e for e in lottery.entries.select_related("user").filter(pk__in=lottery.winners)}
    return [by_id[w] for w in lottery.winners]


def coupon_prizes_pay(*, lottery_id: int) -> int:
    """A coupon prize straight into each winner's coupons, once (LotteryPrize's unique key:
    a second run, or two at once, pays nobody twice)."""
    lottery = Lottery.objects.select_related("prize_coupon").get(pk=lottery_id)
    coupon = lottery.prize_coupon
    if coupon is None or lottery.drawn_at is None:
        return 0
    paid = 0
    for entry in _winner_entries(lottery):
        if LotteryPrize.objects.filter(lottery=lottery, user_id=entry.user_id).exists():
            continue
        try:
            with transaction.atomic():
                held = CouponGrant.objects.filter(coupon=coupon, user_id=entry.user_id).count()
                Coupon.objects.filter(pk=coupon.pk).update(claimed_count=F("claimed_count") + 1)
                grant = CouponGrant.objects.create(
                    coupon=coupon, user_id=entry.user_id, ordinal=held + 1
                )
                LotteryPrize.objects.create(lottery=lottery, user_id=entry.user_id, grant=grant)
                paid += 1
        except IntegrityError:
            continue  # paid by a concurrent run
    return paid


def product_prize_claim(*, user: User, lottery_id: int, consignee: Consignee) -> LotteryPrize:
    """A winner gives the address; the product goes out through the order flow at 0 yuan
    (payment kind `prize`, never a sale), once: the checkout's idempotency key is the
    lottery's, so a second claim returns the first."""
    lottery = Lottery.objects.filter(pk=lottery_id, drawn_at__isnull=False).first()
    if lottery is None or lottery.prize_sku_id is None:
        raise NotFound()
    if user.pk not in {e.user_id for e in _winner_entries(lottery)}:
        raise Conflict(_("Only a winner can claim this prize."), code=E.LOTTERY_NOT_WINNER)
    sku_id = lottery.prize_sku_id
    with transaction.atomic():
        placed = checkout_place(
            buyer=user,
            idempotency_key=f"lottery-{lottery.pk}",
            items=[(sku_id, 1)],
            consignee=consignee,
            source_kind=SourceKind.LIVE,
            source_ref=str(lottery.session_id),
            prices={sku_id: LinePrice(price=Decimal("0.00"), source=f"lottery:{lottery.pk}")},
            payment_kind=PaymentKind.PRIZE,
        )
        prize, _created = LotteryPrize.objects.get_or_create(
            lottery=lottery, user=user, defaults={"checkout": placed.checkout}
        )
    return prize


def lotteries_draw_due() -> int:
    """Beat: draw every lottery whose time has come (safe to run twice)."""
    due = Lottery.objects.filter(drawn_at__isnull=True, draw_at__lte=timezone.now())
    for lottery_id in due.values_list("pk", flat=True):
        lottery_draw(lottery_id=lottery_id)
    return due.count()
