"""Judges score only the contests they are assigned to, once per entry and criterion (a
correction is a new, logged score with a reason), never an entrant they are linked to, and
within the scale."""

from __future__ import annotations

import pytest

from backend.accounts.models import Membership, Organisation
from backend.accounts.roles import Role
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import JudgeScore
from tests.backend.campaigns.conftest import error_code, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_event, make_user, enter, org_client, login_as):
    event, other = make_event(), make_event(title="沁水县第二届直播大赛")
    coop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    owner = make_user(Role.STREAMER, username="coop-owner")
    Membership.objects.create(user=owner, organisation=coop)
    linked = enter(event, owner, "蜂业合作社", organisation_id=coop.pk)
    plain = enter(event, make_user(Role.STREAMER), "小赵")
    elsewhere = enter(other, make_user(Role.STREAMER), "王大姐")
    judge = make_user(Role.JUDGE, username="pingwei")
    Membership.objects.create(user=judge, organisation=coop)  # sits out the cooperative
    assert post(org_client, f"/campaigns/events/{event['id']}/judges",
                {"username": "pingwei"}).status_code == 201  # fmt: skip
    return {"judge": login_as(judge), "linked": linked, "plain": plain, "elsewhere": elsewhere}


def _score(client, entry_id: int, score: str, criterion: str = "content", reason: str = ""):
    body = {"entry_id": entry_id, "criterion": criterion, "score": score, "reason": reason}
    return post(client, "/campaigns/judging/scores", body)


def test_refusals_leave_no_score(setup, make_user, login_as) -> None:
    judge = setup["judge"]
    cases = [
        (_score(judge, setup["elsewhere"]["id"], "8"), 403, E.NOT_ASSIGNED),
        (_score(judge, setup["linked"]["id"], "8"), 403, E.RECUSED),
        (_score(judge, setup["plain"]["id"], "10.5"), 422, E.SCORE_OUT_OF_SCALE),
        (_score(judge, setup["plain"]["id"], "-1"), 422, E.SCORE_OUT_OF_SCALE),
        (_score(judge, setup["plain"]["id"], "8", criterion="looks"), 422, E.INVALID),
        (_score(login_as(make_user(Role.STREAMER)), setup["plain"]["id"], "8"), 403,
         "auth.forbidden"),
    ]  # fmt: skip
    assert [(r.status_code, error_code(r)) for r, _s, _c in cases] == [
        (status, code) for _r, status, code in cases
    ]
    assert JudgeScore.objects.count() == 0


def test_once_then_a_logged_correction(setup) -> None:
    judge, entry = setup["judge"], setup["plain"]["id"]
    first = _score(judge, entry, "7")
    assert first.status_code == 201
    twice = _score(judge, entry, "9")
    assert (twice.status_code, error_code(twice)) == (409, E.ALREADY_SCORED)
    fixed = _score(judge, entry, "9", reason="看错了评分表")
    assert fixed.status_code == 201
    assert fixed.json() == {"id": fixed.json()["id"], "entry_id": entry, "criterion": "content",
                            "score": "9.00", "corrects": first.json()["id"]}  # fmt: skip
    rows = list(JudgeScore.objects.values_list("score", "reason", "replaces_id"))
    assert [(str(s), r, p) for s, r, p in rows] == [
        ("7.00", "", None),
        ("9.00", "看错了评分表", first.json()["id"]),
    ]
    sheet = judge.get("/api/v1/campaigns/judging").json()
    assert [(e["name"], e["recused"], e["scores"]["content"]) for e in sheet[0]["entries"]] == [
        ("蜂业合作社", True, None),
        ("小赵", False, "9.00"),
    ]
