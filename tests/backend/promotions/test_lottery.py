"""Lotteries: published with the seed's hash, entered without purchase, drawn once,
reproduced by the stand-alone verifier, prizes paid exactly once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.audience.services import follow_add
from backend.common.errors import DomainError
from backend.live import room_state
from backend.live.models import Comment
from backend.orders.models import Order
from backend.promotions import draw
from backend.promotions.models import CouponGrant, Lottery, LotteryPrize
from backend.promotions.selectors import lottery_out
from backend.promotions.services_lottery import (
    LotteryTerms,
    coupon_prizes_pay,
    lottery_create,
    lottery_draw,
    lottery_enter,
    product_prize_claim,
)
from tests.backend.promotions.conftest import WHO

pytestmark = pytest.mark.django_db
D = Decimal


def _terms(**overrides) -> LotteryTerms:
    now = timezone.now()
    base = {
        "title": "福袋",
        "entry_kind": "like",
        "keyword": "",
        "rules": "点赞即可参与，无需购买",
        "prize_value": D("20.00"),
        "winners_count": 2,
        "opens_at": now - timedelta(minutes=10),
        "closes_at": now + timedelta(minutes=10),
        "draw_at": now + timedelta(minutes=10),
    }
    return LotteryTerms(**{**base, **overrides})


def _enter_liking(user, lottery: Lottery) -> None:
    """A like sent in the room (recorded by the room's tick, as the socket does), then the entry."""
    asyncio.run(room_state.likers_add(lottery.session_id, {user.pk}))
    lottery_enter(user=user, lottery_id=lottery.pk)


def _close(lottery: Lottery) -> None:
    past = timezone.now() - timedelta(seconds=1)
    Lottery.objects.filter(pk=lottery.pk).update(closes_at=past, draw_at=past)


def test_a_prize_over_the_legal_cap_is_refused(streamer, lineup, make_coupon) -> None:
    coupon = make_coupon(sessions=[lineup])
    with pytest.raises(DomainError) as refused:
        lottery_create(
            by=streamer,
            session=lineup,
            terms=_terms(prize_value=D("50000.01"), prize_coupon=coupon),
        )
    assert refused.value.code == "promotions.lottery_prize_over_cap"
    assert Lottery.objects.count() == 0


def test_the_draw_is_reproduced_by_the_verifier_and_the_same_when_asked_twice(
    streamer, lineup, make_user, make_coupon, tmp_path
) -> None:
    coupon = make_coupon(sessions=[lineup], total_quantity=5)
    lottery = lottery_create(by=streamer, session=lineup, terms=_terms(prize_coupon=coupon))
    published_hash, seed = lottery.seed_hash, lottery.seed
    people = [make_user(username=f"fan{i}") for i in range(7)]
    for person in people:
        _enter_liking(person, lottery)
    lottery_enter(user=people[0], lottery_id=lottery.pk)  # twice: one entry
    _close(lottery)
    drawn = lottery_draw(lottery_id=lottery.pk)
    again = lottery_draw(lottery_id=lottery.pk)
    assert (drawn.seed_hash, drawn.seed) == (published_hash, seed)
    assert again.winners == drawn.winners and len(drawn.winners) == 2
    entrants = sorted(drawn.entries.values_list("pk", flat=True))
    assert len(entrants) == 7
    assert drawn.winners == draw.winners(seed, entrants, 2)
    proof = {"seed": seed, "seed_hash": published_hash, "entrants": entrants,
             "winners_count": 2, "winners": drawn.winners}  # fmt: skip
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    verifier = subprocess.run(
        [sys.executable, draw.__file__, str(tmp_path / "proof.json")],
        capture_output=True,
        text=True,
    )
    assert (verifier.returncode, verifier.stdout.startswith("OK")) == (0, True)
    forged = {**proof, "winners": list(reversed(drawn.winners))}
    assert draw.verify(forged) == [f"the winners should be {drawn.winners}, the draw says "
                                   f"{forged['winners']}"]  # fmt: skip


def test_coupon_prizes_are_paid_once_however_often_the_job_runs(
    streamer, lineup, make_user, make_coupon
) -> None:
    coupon = make_coupon(sessions=[lineup], total_quantity=5)
    lottery = lottery_create(by=streamer, session=lineup, terms=_terms(prize_coupon=coupon))
    for i in range(3):
        _enter_liking(make_user(username=f"fan{i}"), lottery)
    _close(lottery)
    lottery_draw(lottery_id=lottery.pk)
    assert coupon_prizes_pay(lottery_id=lottery.pk) == 2
    assert coupon_prizes_pay(lottery_id=lottery.pk) == 0
    winners = set(
        lottery.entries.filter(pk__in=Lottery.objects.get().winners).values_list("user", flat=True)
    )
    assert set(CouponGrant.objects.filter(coupon=coupon).values_list("user", flat=True)) == winners
    assert LotteryPrize.objects.count() == 2


def test_keyword_entries_come_from_comments_in_the_window(
    streamer, lineup, make_user, make_coupon
) -> None:
    coupon = make_coupon(sessions=[lineup])
    terms = _terms(entry_kind="keyword", keyword="沁水好物", winners_count=5, prize_coupon=coupon)
    lottery = lottery_create(by=streamer, session=lineup, terms=terms)
    fan, late, other = (make_user(username=n) for n in ("fan", "late", "other"))
    earlier = timezone.now() - timedelta(minutes=5)  # inside the window
    Comment.objects.create(session=lineup, user=fan, text="我要沁水好物！", created_at=earlier)
    Comment.objects.create(session=lineup, user=other, text="好看", created_at=earlier)
    Comment.objects.create(session=lineup, user=late, text="沁水好物",
                           created_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert lottery_out(lottery).entrants == 1  # the console's figure before the draw
    _close(lottery)
    drawn = lottery_draw(lottery_id=lottery.pk)
    assert list(drawn.entries.values_list("user__username", flat=True)) == ["fan"]


def test_a_product_prize_ships_at_zero_yuan_once(streamer, lineup, make_user, skus) -> None:
    lottery = lottery_create(by=streamer, session=lineup, terms=_terms(
        winners_count=1, prize_sku_id=skus["millet"].pk, prize_value=D("49.90")))  # fmt: skip
    winner = make_user(username="lucky")
    _enter_liking(winner, lottery)
    _close(lottery)
    lottery_draw(lottery_id=lottery.pk)
    first = product_prize_claim(user=winner, lottery_id=lottery.pk, consignee=WHO)
    second = product_prize_claim(user=winner, lottery_id=lottery.pk, consignee=WHO)
    assert first.pk == second.pk
    (order,) = Order.objects.all()
    assert (order.status, order.paid_amount, order.payment_kind) == ("paid", D("0.00"), "prize")
    skus["millet"].refresh_from_db()
    assert skus["millet"].stock == 9


def test_a_like_lottery_takes_those_who_liked_since_it_opened(
    streamer, lineup, make_user, make_coupon
) -> None:
    coupon = make_coupon(sessions=[lineup])
    lottery = lottery_create(by=streamer, session=lineup, terms=_terms(prize_coupon=coupon))
    silent, early = make_user(username="silent"), make_user(username="early")
    before = lottery.opens_at.timestamp() - 30
    conn = room_state.client()
    conn.zadd(room_state.key(lineup.pk, "likers"), {str(early.pk): before})  # before it opened
    for who in (silent, early):
        with pytest.raises(DomainError) as refused:
            lottery_enter(user=who, lottery_id=lottery.pk)
        assert refused.value.code == "promotions.lottery_like_first"
    assert lottery.entries.count() == 0
    _enter_liking(early, lottery)
    assert list(lottery.entries.values_list("user__username", flat=True)) == ["early"]


def test_a_follow_lottery_takes_the_streamers_followers(
    streamer, lineup, make_user, make_coupon
) -> None:
    coupon = make_coupon(sessions=[lineup])
    terms = _terms(entry_kind="follow", prize_coupon=coupon)
    lottery = lottery_create(by=streamer, session=lineup, terms=terms)
    fan = make_user(username="fan")
    with pytest.raises(DomainError) as refused:
        lottery_enter(user=fan, lottery_id=lottery.pk)
    assert (refused.value.code, lottery.entries.count()) == ("promotions.lottery_follow_first", 0)
    follow_add(user=fan, streamer_id=streamer.pk, session_id=lineup.pk, sms=False)
    lottery_enter(user=fan, lottery_id=lottery.pk)
    assert list(lottery.entries.values_list("user__username", flat=True)) == ["fan"]
