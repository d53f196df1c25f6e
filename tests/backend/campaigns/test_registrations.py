"""Registrations: a deadline, a capacity (the last place taken once under a race), review
with a reason, the role and owner gate of the console."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Campaign, Pass, Registration
from backend.campaigns.services import registration_create
from tests.backend.campaigns.conftest import error_code, post

pytestmark = pytest.mark.django_db


def test_registration_after_the_deadline_is_refused(make_event, make_user, login_as) -> None:
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    event = make_event(registration_deadline=past)
    late = post(login_as(make_user(Role.STREAMER)), f"/events/{event['slug']}/registrations",
                {"display_name": "迟到的主播"})  # fmt: skip
    assert (late.status_code, error_code(late)) == (409, E.REGISTRATION_CLOSED)
    assert (Registration.objects.count(), Campaign.objects.get().places_taken) == (0, 0)


def test_capacity_rejection_and_the_place_given_back(make_event, make_user, login_as,
                                                     org_client) -> None:  # fmt: skip
    event = make_event(capacity=2)
    path = f"/events/{event['slug']}/registrations"
    first, second, third = (login_as(make_user(Role.STREAMER)) for _ in range(3))
    reg = post(first, path, {"display_name": "一号"})
    assert reg.status_code == 201 and reg.json()["status"] == "pending"
    assert error_code(post(first, path, {"display_name": "一号"})) == E.ALREADY_REGISTERED
    assert post(second, path, {"display_name": "二号"}).status_code == 201
    full = post(third, path, {"display_name": "三号"})
    assert (full.status_code, error_code(full)) == (409, E.FULL)
    assert full.json()["error"]["extra"] == {"capacity": 2}

    review = f"/campaigns/registrations/{reg.json()['id']}/review"
    bare = post(org_client, review, {"approve": False})
    assert (bare.status_code, error_code(bare)) == (422, E.INVALID)
    rejected = post(org_client, review, {"approve": False, "reason": "非本县主体"})
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "非本县主体")
    assert error_code(post(org_client, review, {"approve": True})) == E.ALREADY_REVIEWED
    assert Campaign.objects.get().places_taken == 1
    assert post(third, path, {"display_name": "三号"}).status_code == 201
    assert Pass.objects.count() == 0  # passes come with approval


def test_approval_gives_a_participant_pass(make_event, make_user, enter) -> None:
    event = make_event()
    reg = enter(event, make_user(Role.STREAMER), "小赵")
    venue_pass = Pass.objects.get()
    assert (venue_pass.kind, venue_pass.registration_id, venue_pass.name) == (
        "participant", reg["id"], "小赵")  # fmt: skip


def test_the_console_is_the_organisers_own(make_event, make_user, login_as) -> None:
    event = make_event()
    other = login_as(make_user(Role.ORGANISER))
    assert other.get(f"/api/v1/campaigns/events/{event['id']}").status_code == 404
    assert other.get("/api/v1/campaigns/events").json() == []
    buyer = login_as(make_user(Role.BUYER))
    assert error_code(buyer.get("/api/v1/campaigns/events")) == "auth.forbidden"


@pytest.mark.django_db(transaction=True)
def test_two_at_once_for_the_last_place(make_event, make_user) -> None:
    event = make_event(capacity=1)
    campaign = Campaign.objects.get(pk=event["id"])
    racers = [make_user(Role.STREAMER) for _ in range(2)]

    def register(user: User) -> str:
        try:
            registration_create(campaign=campaign, by=user, display_name=user.username)
            return "ok"
        except Exception as exc:  # the loser's refusal is the point
            return str(getattr(exc, "code", exc))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(register, racers))
    assert outcomes == [E.FULL, "ok"]
    assert (Registration.objects.count(), Campaign.objects.get().places_taken) == (1, 1)
