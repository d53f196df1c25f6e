"""nginx-rtmp's hooks as nginx sends them: the secret, keys, one encoder, the grace period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.common.models import OutboxEvent
from backend.live.models import LiveSession, Recording
from backend.live.services_health import sessions_health_poll
from backend.live.tasks import live_sessions_end_abandoned
from tests import harness
from tests.backend.live.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rehearsing(client_of, verified, new_session, ingest):
    """A session whose encoder (client 5) is connected; its key."""
    session = new_session(verified)
    key = post(client_of(verified), f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    answer = ingest.publish(key, client_id="5")
    assert answer.status_code == 302
    return session, key


def _state(session) -> tuple[str, str]:
    row = LiveSession.objects.get(pk=session["id"])
    return row.state, row.publisher_client_id


def test_a_hook_without_the_secret_is_refused_and_changes_nothing(
    client_of, streamer, new_session, ingest
) -> None:
    session = new_session(streamer)
    key = post(client_of(streamer), f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    assert ingest.publish(key, token="").status_code == 403
    assert ingest.publish(key, token="wrong-secret").status_code == 403
    assert ingest.client.post("/api/v1/live/rtmp/on_publish", {"name": key}).status_code == 403
    assert _state(session) == ("scheduled", "")
    assert LiveSession.objects.get(pk=session["id"]).moves.count() == 0


def test_the_right_key_is_relayed_under_the_public_id(rehearsing) -> None:
    session, _key = rehearsing
    row = LiveSession.objects.get(pk=session["id"])
    assert (row.state, row.publisher_client_id) == ("rehearsal", "5")


def test_the_answer_redirects_to_the_show_app(client_of, streamer, new_session, ingest) -> None:
    session = new_session(streamer)
    key = post(client_of(streamer), f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    answer = ingest.publish(key)
    assert answer.status_code == 302
    assert answer["Location"] == f"rtmp://127.0.0.1:1935/show/{session['public_id']}"
    assert key not in answer["Location"]


def test_a_wrong_key_is_refused(rehearsing, ingest) -> None:
    assert ingest.publish("qs" + "0" * 40).status_code == 403


def test_a_second_encoder_on_a_key_in_use_is_refused(rehearsing, ingest) -> None:
    session, key = rehearsing
    assert ingest.publish(key, client_id="6").status_code == 403
    assert _state(session) == ("rehearsal", "5")
    # the refused encoder's done does not unseat the one publishing
    ingest.publish_done(key, client_id="6")
    assert _state(session) == ("rehearsal", "5")
    ingest.publish_done(key, client_id="5")
    assert _state(session) == ("rehearsal", "")
    assert ingest.publish(key, client_id="8").status_code == 302


def test_a_reconnect_within_the_grace_period_resumes(
    rehearsing, client_of, verified, ingest, settings
) -> None:
    session, key = rehearsing
    settings.LIVE_RECONNECT_GRACE_SECONDS = 60
    started = post(client_of(verified), f"/sessions/{session['id']}/go-live").json()["started_at"]
    ingest.publish_done(key, client_id="5")
    assert _state(session) == ("live", "")
    assert live_sessions_end_abandoned() == 0
    assert ingest.publish(key, client_id="9").status_code == 302
    after = client_of(verified).get(f"/api/v1/live/sessions/{session['id']}").json()
    assert (after["state"], after["publishing"], after["started_at"]) == ("live", True, started)
    assert OutboxEvent.objects.filter(name="live.ended").count() == 0


def test_after_the_grace_period_the_session_ends_and_the_key_is_refused(
    rehearsing, client_of, verified, ingest, settings
) -> None:
    session, key = rehearsing
    settings.LIVE_RECONNECT_GRACE_SECONDS = 30
    post(client_of(verified), f"/sessions/{session['id']}/go-live")
    ingest.publish_done(key, client_id="5")
    LiveSession.objects.filter(pk=session["id"]).update(
        publisher_left_at=timezone.now() - timedelta(seconds=31)
    )
    assert ingest.publish(key, client_id="9").status_code == 403
    assert _state(session) == ("ended", "")
    ended = OutboxEvent.objects.get(name="live.ended").payload
    assert ended["reason"] == "encoder gone"


def test_the_sweep_ends_abandoned_sessions(rehearsing, client_of, verified, ingest) -> None:
    session, key = rehearsing
    post(client_of(verified), f"/sessions/{session['id']}/go-live")
    ingest.publish_done(key, client_id="5")
    assert live_sessions_end_abandoned() == 0
    LiveSession.objects.filter(pk=session["id"]).update(
        publisher_left_at=timezone.now() - timedelta(minutes=5)
    )
    assert live_sessions_end_abandoned() == 1
    assert _state(session) == ("ended", "")
    assert live_sessions_end_abandoned() == 0


def test_a_rotation_cuts_the_old_key(rehearsing, client_of, verified, ingest) -> None:
    session, old = rehearsing
    rotated = post(client_of(verified), f"/sessions/{session['id']}/key/rotate")
    assert rotated.status_code == 200
    new = rotated.json()["stream_key"]
    assert new != old
    assert _state(session) == ("rehearsal", "")  # the old encoder is cut
    assert ingest.publish(old, client_id="11").status_code == 403
    assert ingest.publish(new, client_id="12").status_code == 302
    audit = client_of(verified).get(f"/api/v1/live/sessions/{session['id']}/key/audit").json()
    assert [a["action"] for a in audit] == ["reveal", "rotate"]


def test_a_cancelled_sessions_key_is_refused(rehearsing, client_of, verified, ingest) -> None:
    session, key = rehearsing
    post(client_of(verified), f"/sessions/{session['id']}/cancel", {"reason": "停电"})
    assert _state(session) == ("cancelled", "")
    assert ingest.publish(key).status_code == 403


def test_record_done_keeps_the_recording(rehearsing, ingest) -> None:
    session, _key = rehearsing
    form = {"app": "show", "name": session["public_id"], "path": "/var/rec/x-1.flv", "recorder": ""}
    assert ingest.call("on_record_done", form).status_code == 200
    assert ingest.call("on_record_done", form).status_code == 200
    assert list(Recording.objects.values_list("session_id", "path")) == [
        (session["id"], "/var/rec/x-1.flv")
    ]


def test_a_session_scheduled_far_ahead_refuses_its_key_for_now(
    client_of, streamer, new_session, ingest, settings
) -> None:
    settings.LIVE_PUSH_EARLY_SECONDS = 12 * 3600
    session = new_session(streamer, hours=13)
    key = post(client_of(streamer), f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    assert ingest.publish(key).status_code == 403
    assert _state(session) == ("scheduled", "")
    settings.LIVE_PUSH_EARLY_SECONDS = 14 * 3600
    assert ingest.publish(key).status_code == 302


def test_the_session_list_costs_a_fixed_number_of_queries(
    client_of, streamer, new_session, django_assert_max_num_queries
) -> None:
    for n in range(5):
        new_session(streamer, title=f"场次 {n}")
    client = client_of(streamer)
    with django_assert_max_num_queries(6):
        listed = client.get("/api/v1/live/sessions").json()
    assert [s["title"] for s in listed] == [f"场次 {n}" for n in (4, 3, 2, 1, 0)]  # latest first


def test_an_encoder_lost_without_its_done_hook_ends_after_the_grace(
    rehearsing, client_of, verified, settings
) -> None:
    """nginx died with the encoder on: no on_publish_done ever comes. The health poll finds
    the stream missing from the stat page, takes the encoder as gone from the first poll that
    missed it, and the sweep ends the session once the grace period has passed."""
    session, _ = rehearsing
    post(client_of(verified), f"/sessions/{session['id']}/go-live")
    settings.STREAMING_HTTP_PORT = harness.free_port()  # no nginx answers there: it is down
    settings.LIVE_PUBLISHER_LOST_SECONDS = 3600
    assert sessions_health_poll() == 1
    assert _state(session) == ("live", "5")  # missing once: not yet lost
    settings.LIVE_PUBLISHER_LOST_SECONDS = 0
    assert sessions_health_poll() == 1
    row = LiveSession.objects.get(pk=session["id"])
    assert (row.publisher_client_id, row.publisher_left_at is not None) == ("", True)
    settings.LIVE_RECONNECT_GRACE_SECONDS = 0
    assert live_sessions_end_abandoned() == 1
    assert _state(session) == ("ended", "")
    assert OutboxEvent.objects.get(name="live.ended").payload["reason"] == "encoder gone"
