"""The console's other duties: a campaign coupon over the sessions of the event and its
contests, the plan's counters, a contest frozen by the clock, and votes limited per address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.campaigns import services_contest
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Campaign, Result, Vote
from backend.campaigns.services_contest import contests_freeze_due
from backend.promotions.models import Coupon
from tests.backend.campaigns.conftest import error_code, post
from tests.factories.records import session_held

pytestmark = pytest.mark.django_db


def test_a_campaign_coupon_covers_the_festival_and_its_contests(make_event, make_user,
                                                                org_client) -> None:  # fmt: skip
    festival = make_event(kind="festival", title="沁水县电商旅游文化节")
    contest = make_event(parent_id=festival["id"])
    path = f"/campaigns/events/{festival['id']}/coupons"
    body = {"name": "文化节 满50减5", "amount_off": "5.00", "threshold": "50.00",
            "total_quantity": 100}  # fmt: skip
    empty = post(org_client, path, body)
    assert (empty.status_code, error_code(empty)) == (422, E.INVALID)
    streamer = make_user(Role.STREAMER)
    held = [session_held(streamer=streamer, started=timezone.now()) for _ in range(2)]
    for event, session in ((festival, held[0]), (contest, held[1])):
        link = {"session_id": session.pk}
        assert (
            post(org_client, f"/campaigns/events/{event['id']}/sessions", link).status_code == 201
        )
    made = post(org_client, path, body)
    assert made.status_code == 201
    assert made.json()["session_ids"] == sorted(s.pk for s in held)
    coupon = Coupon.objects.get()
    assert (coupon.name, str(coupon.amount_off), coupon.per_user_limit) == (
        "文化节 满50减5",
        "5.00",
        1,
    )


def test_the_plans_counters(make_event, make_user, enter, org_client) -> None:
    festival = make_event(kind="festival", title="沁水县电商旅游文化节")
    contest = make_event(parent_id=festival["id"])
    coop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    owner = make_user(Role.MERCHANT)
    coop.memberships.create(user=owner)
    enter(contest, owner, "蜂业合作社", organisation_id=coop.pk)
    enter(contest, make_user(Role.STREAMER), "王大姐", is_farmer=True)
    enter(festival, make_user(Role.BUYER), "游客团")
    counters = org_client.get("/api/v1/campaigns/counters").json()
    assert {k: counters[k] for k in ("events_held", "participants", "companies", "farmers")} == {
        "events_held": 1,
        "participants": 3,
        "companies": 1,
        "farmers": 1,
    }  # the contest is part of the festival: one event held


def test_a_contest_past_its_end_is_frozen_by_the_clock(make_event, make_user, enter) -> None:
    event = make_event()
    enter(event, make_user(Role.STREAMER), "小赵")
    assert contests_freeze_due() == 0
    Campaign.objects.filter(pk=event["id"]).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert contests_freeze_due() == 1
    assert Campaign.objects.get(pk=event["id"]).stage == "frozen"
    assert Result.objects.filter(campaign_id=event["id"]).count() == 1
    assert contests_freeze_due() == 0


def test_votes_are_limited_per_address(make_event, make_user, enter, login_as,
                                       monkeypatch) -> None:  # fmt: skip
    monkeypatch.setattr(services_contest, "VOTES_PER_ADDRESS_HOUR", 2)
    event = make_event(voting=True)
    entry = enter(event, make_user(Role.STREAMER), "小赵")
    answers = [post(login_as(make_user(Role.BUYER)), f"/events/{event['slug']}/votes",
                    {"entry_id": entry["id"]}) for _ in range(3)]  # fmt: skip
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert error_code(answers[2]) == E.VOTE_TOO_FAST
    assert Vote.objects.count() == 2
