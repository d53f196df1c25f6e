"""关注: one follow however often it is asked for; the streamer's follower count and the
followers gained per session; going live tells every follower on site, and by SMS those
who asked for it, once even if the event arrives twice."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.accounts.roles import Role
from backend.audience.models import Follow, Notice
from backend.audience.selectors import followers_gained, new_followers_by_session
from backend.common.events import publish
from backend.live.models import LiveSession
from tests.backend.audience.conftest import call
from tests.factories.records import session_held

pytestmark = pytest.mark.django_db


def _follow(client, streamer, session=None, sms=False):
    body = {"session_id": session.pk if session else None, "sms": sms}
    return call(client, "put", f"/streamers/{streamer.pk}/follow", body)


def test_following_twice_is_one_follow_and_the_counts_follow(
    login_as, make_user, viewer, streamer, coming
) -> None:
    client = login_as(viewer)
    first = _follow(client, streamer, coming)
    again = _follow(client, streamer, coming, sms=True)
    assert first.json() == {
        "streamer_id": streamer.pk,
        "following": True,
        "sms": False,
        "followers": 1,
    }
    assert again.json() == {
        "streamer_id": streamer.pk,
        "following": True,
        "sms": True,
        "followers": 1,
    }
    other = make_user(Role.BUYER, username="wang")
    assert _follow(login_as(other), streamer).json()["followers"] == 2  # not from a session

    assert Follow.objects.count() == 2
    assert new_followers_by_session(session_ids=[coming.pk]) == {coming.pk: 1}
    assert followers_gained(streamer_ids=[streamer.pk], session_ids=[coming.pk]) == (
        {streamer.pk: 2},
        {coming.pk: 1},
    )
    watch = call(client, "get", f"/sessions/{coming.pk}").json()
    assert (watch["followers"], watch["following"], watch["follow_sms"]) == (2, True, True)

    gone = call(client, "delete", f"/streamers/{streamer.pk}/follow").json()
    assert gone == {"streamer_id": streamer.pk, "following": False, "sms": False, "followers": 1}
    assert new_followers_by_session(session_ids=[coming.pk]) == {}


def test_no_following_yourself_or_a_stranger(login_as, make_user, streamer, coming) -> None:
    response = _follow(login_as(streamer), streamer)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "audience.follow_self"
    nobody = make_user(Role.BUYER, username="nobody")
    assert _follow(login_as(streamer), nobody).status_code == 404
    assert Follow.objects.count() == 0


def test_a_visitor_must_log_in_to_follow(client, streamer, coming) -> None:
    assert _follow(client, streamer).status_code == 401
    assert Follow.objects.count() == 0


def test_going_live_tells_followers_once_sms_only_to_who_asked(
    login_as, make_user, viewer, streamer, coming, sms, django_capture_on_commit_callbacks
) -> None:
    quiet = make_user(Role.BUYER, username="quiet", phone="13912340002")
    _follow(login_as(viewer), streamer, coming, sms=True)
    _follow(login_as(quiet), streamer, coming, sms=False)
    LiveSession.objects.filter(pk=coming.pk).update(state="live", started_at=timezone.now())
    payload = {
        "session_id": coming.pk, "streamer_id": streamer.pk, "seller_org_id": None,
        "public_id": coming.public_id, "title": coming.title, "at": timezone.now().isoformat(),
    }  # fmt: skip
    for _ in range(2):  # delivered twice: nobody is told twice
        with django_capture_on_commit_callbacks(execute=True):
            publish("live.started", payload)

    text = f"赵小明 正在直播：端氏黄小米 丰收直播 https://live.example.cn/live/{coming.pk}/"
    assert sorted(Notice.objects.values_list("user_id", "kind", "text")) == sorted(
        [(viewer.pk, "go_live", text), (quiet.pk, "go_live", text)]
    )
    assert [(m["sign"], m["text"]) for m in sms.messages(viewer.phone)] == [("沁水电商", text)]
    assert sms.messages(quiet.phone) == []
    notices = call(login_as(viewer), "get", "/notices").json()
    assert [(n["kind"], n["text"], n["read"]) for n in notices] == [("go_live", text, False)]
    assert call(login_as(viewer), "post", "/notices/read").status_code == 204
    assert Notice.objects.get(user=viewer).read_at is not None


def test_incubation_reads_the_followers_gained(login_as, make_user, streamer, coming) -> None:
    """The incubation milestone "followers gained" counts standing follows: a farmer's own,
    a company's through the follows made on its sessions' watch pages."""
    from backend.accounts.models import Organisation
    from backend.incubation.figures import figures_for
    from backend.incubation.models import Incubatee

    company = Organisation.objects.create(name="沁水网红公司", kind="enterprise")
    held = session_held(streamer=streamer, started=timezone.now(), organisation=company)
    farmer = Incubatee.objects.create(
        kind="influencer_farmer", name="赵小明", user=streamer, applied_at=timezone.now()
    )
    firm = Incubatee.objects.create(
        kind="influencer_company", name="沁水网红公司", organisation=company,
        applied_at=timezone.now(),
    )  # fmt: skip
    for n in range(3):
        fan = make_user(Role.BUYER, username=f"fan{n}")
        _follow(login_as(fan), streamer, held if n < 2 else coming)
    figures = figures_for(incubatees=[farmer, firm])
    assert (figures[farmer.pk].followers, figures[firm.pk].followers) == (3, 2)
    assert figures[farmer.pk].value_of("followers") == 3
