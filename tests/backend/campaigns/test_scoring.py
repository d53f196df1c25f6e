"""Standings from a known set of records: GMV (paid less refunds), paid orders, peak
viewers, likes, new followers, judges' means and public votes, weighted; ties broken by
the stated rule. Figures worked out by hand in the comments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.audience.models import Follow
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Campaign
from backend.campaigns.standings import standings_compute
from backend.live.models import MinuteFigure
from tests.backend.campaigns.conftest import error_code, post
from tests.factories.records import order_fact, session_held

pytestmark = pytest.mark.django_db

WEIGHTS = {"gmv": "0.40", "orders": "0.10", "peak": "0.05", "likes": "0.05",
           "followers": "0.10", "judges": "0.20", "votes": "0.10"}  # fmt: skip


@pytest.fixture
def contest(make_event, make_user, enter, org_client):
    event = make_event(voting=True, weights=WEIGHTS)
    names = ("甲", "乙", "丙")
    streamers = [make_user(Role.STREAMER, username=f"entrant-{n}") for n in range(3)]
    entries = [enter(event, s, name) for s, name in zip(streamers, names, strict=True)]
    judges = [make_user(Role.JUDGE, username=f"judge-{n}") for n in range(2)]
    for judge in judges:
        body = {"username": judge.username}
        assert post(org_client, f"/campaigns/events/{event['id']}/judges", body).status_code == 201
    started = timezone.now() - timedelta(minutes=30)
    sessions = [session_held(streamer=streamers[i], started=started, state="live")
                for i in (0, 0, 1, 2)]  # fmt: skip
    for session, entry in zip(sessions, (0, 0, 1, 2), strict=True):
        link = {"session_id": session.pk, "entry_id": entries[entry]["id"]}
        assert (
            post(org_client, f"/campaigns/events/{event['id']}/sessions", link).status_code == 201
        )
    return {"event": event, "entries": entries, "judges": judges, "sessions": sessions,
            "streamers": streamers}  # fmt: skip


def _records(contest, make_user) -> None:
    s1, s2, s3, s4 = contest["sessions"]
    shop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    at = timezone.now()
    order_fact(seller=shop, paid="300.00", source_ref=str(s1.pk), paid_at=at)
    part = order_fact(seller=shop, paid="100.00", source_ref=str(s2.pk), paid_at=at)
    part.refunded_amount = Decimal("50.00")  # a partial refund: still a paid order
    part.save(update_fields=["refunded_amount"])
    order_fact(seller=shop, paid="999.00", source_ref=str(s1.pk), status="created")  # unpaid
    prize = order_fact(seller=shop, paid="0.00", source_ref=str(s1.pk), paid_at=at)
    assert prize.paid_amount == 0  # a 0-yuan prize is no sale
    order_fact(seller=shop, paid="200.00", source_ref=str(s3.pk), paid_at=at)
    order_fact(seller=shop, paid="200.00", source_ref=str(s3.pk), paid_at=at, status="refunded")
    order_fact(seller=shop, paid="350.00", source_ref=str(s4.pk), paid_at=at)
    order_fact(seller=shop, paid="800.00", source_kind="store", paid_at=at)  # not live
    for session, peak, likes in ((s1, 80, 100), (s2, 120, 50), (s3, 60, 300), (s4, 40, 0)):
        MinuteFigure.objects.create(session=session, minute=at, peak=peak, likes=likes)
    fans = [make_user(Role.BUYER) for _ in range(6)]
    for n, fan in enumerate(fans):
        target = s1 if n < 2 else s3
        Follow.objects.create(follower=fan, streamer=target.streamer, session=target)


def _scores(contest, login_as) -> None:
    a, b, c = (e["id"] for e in contest["entries"])
    j1, j2 = (login_as(j) for j in contest["judges"])
    sheet = {j1: {a: (8, 9, 10), b: (6, 6, 6), c: (9, 9, 9)}, j2: {a: (7, 7, 7), b: (10, 10, 10)}}
    for client, entries in sheet.items():
        for entry_id, scores in entries.items():
            for criterion, score in zip(("content", "sales_craft", "local_products"), scores,
                                        strict=True):  # fmt: skip
                body = {"entry_id": entry_id, "criterion": criterion, "score": str(score)}
                assert post(client, "/campaigns/judging/scores", body).status_code == 201


def _votes(contest, make_user, login_as) -> None:
    a, b, _c = (e["id"] for e in contest["entries"])
    slug = contest["event"]["slug"]
    for n, entry_id in enumerate((a, b, b, b)):
        voter = login_as(make_user(Role.BUYER, username=f"voter-{n}"))
        assert post(voter, f"/events/{slug}/votes", {"entry_id": entry_id}).status_code == 201
        if n == 0:
            again = post(voter, f"/events/{slug}/votes", {"entry_id": b})
            assert (again.status_code, error_code(again)) == (409, E.VOTE_USED)


def test_standings_over_a_known_set(contest, make_user, login_as) -> None:
    _records(contest, make_user)
    _scores(contest, login_as)
    _votes(contest, make_user, login_as)
    board = login_as(make_user(Role.BUYER)).get(f"/api/v1/events/{contest['event']['slug']}/board")
    rows = [
        {
            k: r[k]
            for k in (
                "rank",
                "name",
                "total",
                "gmv",
                "orders",
                "peak",
                "likes",
                "followers",
                "judges",
                "votes",
            )
        }
        for r in board.json()["rows"]
    ]
    # tops: gmv 350, orders 2, peak 120, likes 300, followers 4, judges 10 (the scale), votes 3
    # 甲: 40 + 10 + 5 + 2.5 + 5 + 16 + 3.333… = 81.83
    # 乙: 22.857… + 5 + 2.5 + 5 + 10 + 16 + 10 = 71.36
    # 丙: 40 + 5 + 1.666… + 0 + 0 + 18 + 0 = 64.67
    assert rows == [
        {"rank": 1, "name": "甲", "total": "81.83", "gmv": "350.00", "orders": 2, "peak": 120,
         "likes": 150, "followers": 2, "judges": "8.00", "votes": 1},
        {"rank": 2, "name": "乙", "total": "71.36", "gmv": "200.00", "orders": 1, "peak": 60,
         "likes": 300, "followers": 4, "judges": "8.00", "votes": 3},
        {"rank": 3, "name": "丙", "total": "64.67", "gmv": "350.00", "orders": 1, "peak": 40,
         "likes": 0, "followers": 0, "judges": "9.00", "votes": 0},
    ]  # fmt: skip


def test_ties_go_to_the_higher_gmv_then_the_earlier_entry(contest) -> None:
    s1, _s2, s3, s4 = contest["sessions"]
    Campaign.objects.filter(pk=contest["event"]["id"]).update(
        weights={"orders": "1.00"}  # every entry with one paid order: all tie at 100
    )
    shop = Organisation.objects.create(name="小米合作社", kind="cooperative")
    at = timezone.now()
    for session, paid in ((s1, "10.00"), (s3, "90.00"), (s4, "10.00")):
        order_fact(seller=shop, paid=paid, source_ref=str(session.pk), paid_at=at)
    standings = standings_compute(campaign=Campaign.objects.get(pk=contest["event"]["id"]))
    assert [(s.rank, s.entry.display_name, s.total, s.figures["gmv"]) for s in standings] == [
        (1, "乙", Decimal("100.00"), Decimal("90.00")),  # the higher GMV
        (2, "甲", Decimal("100.00"), Decimal("10.00")),  # GMV equal: registered first
        (3, "丙", Decimal("100.00"), Decimal("10.00")),
    ]
