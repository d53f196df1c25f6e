"""Sessions through the API: create, the gates, keys and their audit, 开播, end, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from backend.accounts.roles import Role
from backend.common.models import OutboxEvent
from backend.live.models import LiveSession
from tests.backend.live.conftest import post, verify

pytestmark = pytest.mark.django_db


def _key(client, session_id: int) -> str:
    response = post(client, f"/sessions/{session_id}/key/reveal")
    assert response.status_code == 200, response.content
    return str(response.json()["stream_key"])


def test_a_streamer_schedules_a_session(client_of, streamer, new_session) -> None:
    session = new_session(streamer)
    assert session["state"] == "scheduled"
    assert (session["title"], session["description"]) == ("沁水小米直播", "端氏镇黄小米")
    assert (session["is_owner"], session["can_control"]) == (True, True)
    assert session["timeline"] == []
    assert session["publishing"] is False
    assert session["streamer_verified"] is False
    listed = client_of(streamer).get("/api/v1/live/sessions").json()
    assert [s["id"] for s in listed] == [session["id"]]


def test_only_streamers_schedule_and_never_in_the_past(client_of, make_user, streamer) -> None:
    buyer = make_user(Role.BUYER)
    body = {"title": "x", "scheduled_start": (timezone.now() + timedelta(hours=1)).isoformat()}
    assert post(client_of(buyer), "/sessions", body).status_code == 403
    body["scheduled_start"] = (timezone.now() - timedelta(minutes=5)).isoformat()
    refused = post(client_of(streamer), "/sessions", body)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "live.schedule_in_past"
    assert LiveSession.objects.count() == 0


def test_the_key_is_encrypted_at_rest_and_each_reveal_logged(
    client_of, streamer, new_session
) -> None:
    session = new_session(streamer)
    client = client_of(streamer)
    revealed = post(client, f"/sessions/{session['id']}/key/reveal").json()
    key = revealed["stream_key"]
    assert key.startswith("qs") and len(key) == 42
    assert revealed["rtmp_url"] == "rtmp://127.0.0.1:1935/live"
    assert revealed["full_url"] == f"rtmp://127.0.0.1:1935/live/{key}"
    assert revealed["obs"]["keyframe_interval_s"] == 2
    assert _key(client, session["id"]) == key
    with connection.cursor() as cursor:
        cursor.execute("SELECT stream_key FROM live_livesession WHERE id = %s", [session["id"]])
        stored = cursor.fetchone()[0]
    assert key not in stored
    audit = client.get(f"/api/v1/live/sessions/{session['id']}/key/audit").json()
    assert [(a["user_id"], a["action"], a["addr"]) for a in audit] == [
        (streamer.pk, "reveal", "127.0.0.1"),
        (streamer.pk, "reveal", "127.0.0.1"),
    ]


def test_others_cannot_reveal_and_outsiders_see_nothing(
    client_of, make_user, streamer, office, new_session
) -> None:
    session = new_session(streamer)
    sid = session["id"]
    assistant = make_user(Role.STREAMER, username="zhongkong")
    outsider = make_user(Role.STREAMER, username="other")
    added = post(client_of(streamer), f"/sessions/{sid}/assistants", {"username": "zhongkong"})
    assert added.status_code == 201
    assert post(client_of(assistant), f"/sessions/{sid}/key/reveal").status_code == 403
    assert post(client_of(assistant), f"/sessions/{sid}/key/rotate").status_code == 403
    assert post(client_of(office), f"/sessions/{sid}/key/reveal").status_code == 403
    assert post(client_of(outsider), f"/sessions/{sid}/key/reveal").status_code == 404
    assert client_of(outsider).get(f"/api/v1/live/sessions/{sid}").status_code == 404
    seen = client_of(assistant).get(f"/api/v1/live/sessions/{sid}").json()
    assert (seen["is_owner"], seen["can_control"]) == (False, True)
    read_only = client_of(office).get(f"/api/v1/live/sessions/{sid}").json()
    assert (read_only["is_owner"], read_only["can_control"]) == (False, False)
    assert post(client_of(office), f"/sessions/{sid}/cancel").status_code == 403
    assert client_of(streamer).get(f"/api/v1/live/sessions/{sid}/key/audit").json() == []
    assert LiveSession.objects.get(pk=sid).state == "scheduled"


def test_unverified_streamers_rehearse_only(
    client_of, streamer, office, new_session, ingest
) -> None:
    session = new_session(streamer)
    client = client_of(streamer)
    assert ingest.publish(_key(client, session["id"])).status_code == 302
    refused = post(client, f"/sessions/{session['id']}/go-live")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "live.streamer_unverified"
    assert LiveSession.objects.get(pk=session["id"]).state == "rehearsal"
    assert OutboxEvent.objects.filter(name="live.started").count() == 0
    verify(client_of, streamer, office)
    live = post(client, f"/sessions/{session['id']}/go-live")
    assert live.status_code == 200
    assert live.json()["state"] == "live"


def test_go_live_needs_a_signal(client_of, verified, new_session) -> None:
    session = new_session(verified)
    refused = post(client_of(verified), f"/sessions/{session['id']}/go-live")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "live.no_signal"
    assert LiveSession.objects.get(pk=session["id"]).state == "scheduled"


def test_the_timeline_and_events_of_a_broadcast(client_of, verified, new_session, ingest) -> None:
    session = new_session(verified)
    sid = session["id"]
    client = client_of(verified)
    assert ingest.publish(_key(client, sid), client_id="7").status_code == 302
    live = post(client, f"/sessions/{sid}/go-live").json()
    ended = post(client, f"/sessions/{sid}/end", {"reason": "卖完了"}).json()
    assert ended["state"] == "ended"
    assert ended["publishing"] is False
    moves = [(m["from_state"], m["to_state"], m["by_id"], m["note"]) for m in ended["timeline"]]
    assert moves == [
        ("scheduled", "rehearsal", None, "encoder connected"),
        ("rehearsal", "live", verified.pk, ""),
        ("live", "ended", verified.pk, "卖完了"),
    ]
    started = OutboxEvent.objects.get(name="live.started").payload
    assert started == {
        "session_id": sid,
        "streamer_id": verified.pk,
        "seller_org_id": None,
        "public_id": session["public_id"],
        "title": "沁水小米直播",
        "at": started["at"],
    }
    finished = OutboxEvent.objects.get(name="live.ended").payload
    assert finished["reason"] == "卖完了"
    assert finished["started_at"] == started["at"]
    assert finished["duration_seconds"] == 0
    assert live["started_at"] is not None


def test_illegal_moves_are_refused_and_change_nothing(client_of, streamer, new_session) -> None:
    session = new_session(streamer)
    client = client_of(streamer)
    refused = post(client, f"/sessions/{session['id']}/end")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "live.illegal_transition"
    assert refused.json()["error"]["extra"] == {"from": "scheduled", "to": "ended"}
    cancelled = post(client, f"/sessions/{session['id']}/cancel", {"reason": "下雨"})
    assert cancelled.json()["state"] == "cancelled"
    again = post(client, f"/sessions/{session['id']}/cancel")
    assert again.status_code == 409
    assert OutboxEvent.objects.filter(name__startswith="live.").count() == 0


def test_a_session_is_rescheduled_until_it_goes_on_air(
    client_of, verified, new_session, ingest, make_user
) -> None:
    session = new_session(verified)
    sid = session["id"]
    client = client_of(verified)
    later = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    edited = client.patch(
        f"/api/v1/live/sessions/{sid}",
        {"title": "改期：沁水小米直播", "scheduled_start": later.isoformat()},
        content_type="application/json",
    )
    assert edited.status_code == 200
    assert edited.json()["title"] == "改期：沁水小米直播"
    assert datetime.fromisoformat(edited.json()["scheduled_start"]) == later
    assert edited.json()["description"] == "端氏镇黄小米"
    other = client_of(make_user(Role.STREAMER))
    body = {"title": "别人的"}
    assert (
        other.patch(
            f"/api/v1/live/sessions/{sid}", body, content_type="application/json"
        ).status_code
        == 404
    )
    key = _key(client, sid)
    LiveSession.objects.filter(pk=sid).update(scheduled_start=timezone.now() + timedelta(hours=1))
    ingest.publish(key)
    post(client, f"/sessions/{sid}/go-live")
    refused = client.patch(f"/api/v1/live/sessions/{sid}", {"title": "直播中改名"},
                           content_type="application/json")  # fmt: skip
    assert refused.status_code == 409
    assert LiveSession.objects.get(pk=sid).title == "改期：沁水小米直播"
