"""Venue check-in: participants' and visitors' passes, scanned by door staff; a pass
scanned twice in a day counts once."""

from __future__ import annotations

import pytest

from backend.accounts.roles import Role
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Checkin, Pass
from tests.backend.campaigns.conftest import error_code, post

pytestmark = pytest.mark.django_db


def test_scans_count_once_a_day(make_event, make_user, enter, login_as, door_user) -> None:
    event = make_event(kind="fair")
    enter(event, make_user(Role.STREAMER), "蜂业合作社")
    visitor = login_as(make_user(Role.BUYER))
    taken = post(visitor, f"/events/{event['slug']}/pass").json()
    assert post(visitor, f"/events/{event['slug']}/pass").json()["code"] == taken["code"]
    assert taken["kind"] == "visitor" and taken["qr"].startswith("data:image/svg+xml")
    participant = Pass.objects.get(kind="participant").code
    door = login_as(door_user)
    path = f"/campaigns/events/{event['id']}/checkins"
    answers = [post(door, path, {"code": code}).json()
               for code in (taken["code"], participant, taken["code"].lower())]  # fmt: skip
    assert [(a["kind"], a["counted"]) for a in answers] == [
        ("visitor", True),
        ("participant", True),
        ("visitor", False),
    ]
    assert [(c["total"], c["participants"], c["visitors"]) for c in answers[-1]["counts"]] == [
        (2, 1, 1)
    ]
    unknown = post(door, path, {"code": "NOPE1234"})
    assert (unknown.status_code, error_code(unknown)) == (404, E.PASS_UNKNOWN)
    buyer_scan = post(visitor, path, {"code": participant})
    assert buyer_scan.status_code == 403
    assert Checkin.objects.count() == 2
    assert [e["id"] for e in door.get("/api/v1/campaigns/door/events").json()] == [event["id"]]
