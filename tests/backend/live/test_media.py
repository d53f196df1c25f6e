"""With real nginx-rtmp and ffmpeg: a push with the session's key rehearses privately, goes
public without reconnecting, and no key reaches a path, file, log or the stat page."""

from __future__ import annotations

import logging
import time

import pytest
import requests
from django.test import Client

from backend.accounts.roles import Role
from backend.live.models import LiveSession
from backend.live.services_health import sessions_health_poll
from backend.live.tasks import media_keyframes_check
from streaming.secure_hls import hls_signed_path
from tests.backend.live.conftest import post
from tests.backend.live.studio_plane import StudioPlane, studio_plane, wait_for
from tests.streaming.plane import key_leaks

pytestmark = [pytest.mark.media, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plane(settings, live_server):
    with studio_plane(settings=settings, live_server_url=live_server.url) as running:
        yield running


@pytest.fixture
def on_air(client_of, verified, new_session):
    """A scheduled session of a verified streamer and its key."""
    session = new_session(verified)
    key = post(client_of(verified), f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    return session, key


def _session(client: Client, session_id: int) -> dict:
    return dict(client.get(f"/api/v1/live/sessions/{session_id}").json())


def _wait_state(client: Client, sid: int, state: str, publishing: bool) -> None:
    wait_for(
        lambda: (
            (_session(client, sid)["state"], _session(client, sid)["publishing"])
            == (state, publishing)
        ),
        timeout_s=15,
        what=f"{state} (publishing={publishing})",
    )


def _playback(client: Client, sid: int) -> requests.Response:
    response = client.get(f"/api/v1/live/sessions/{sid}/playback")
    assert response.status_code == 200, response.content
    return requests.get(response.json()["url"], timeout=5)


def test_rehearse_privately_then_go_public_without_reconnecting(
    plane: StudioPlane, client_of, verified, make_user, on_air, caplog, settings
) -> None:
    caplog.set_level(logging.DEBUG)
    session, key = on_air
    sid, public_id = session["id"], session["public_id"]
    streamer = client_of(verified)
    pusher = plane.push(key=key, seconds=40)
    _wait_state(streamer, sid, "rehearsal", True)
    wait_for(lambda: plane.hls_ready(public_id), timeout_s=20, what="HLS segments")

    # The rehearsal is private: no unsigned, forged or expired URL; only the console's.
    base = f"http://127.0.0.1:{plane.media.http_port}/hls"
    assert requests.get(f"{base}/{public_id}/index.m3u8", timeout=5).status_code == 403
    forged = f"{base}/AAAAAAAAAAAAAAAAAAAAAA/{int(time.time()) + 600}/{public_id}/index.m3u8"
    assert requests.get(forged, timeout=5).status_code == 403
    past = hls_signed_path(
        public_id=public_id, expires=int(time.time()) - 1, secret=settings.STREAMING_HLS_SECRET
    )
    assert requests.get(f"{base}/{past}/index.m3u8", timeout=5).status_code == 410
    outsider = client_of(make_user(Role.BUYER))
    assert outsider.get(f"/api/v1/live/sessions/{sid}/playback").status_code == 404
    assert Client().get(f"/api/v1/live/sessions/{sid}/playback").status_code == 404
    own = _playback(streamer, sid)
    assert own.status_code == 200
    assert own.headers["Cache-Control"] == "no-cache, no-store"
    segment_name = [ln for ln in own.text.splitlines() if ln.endswith(".ts")][-1]
    segment = requests.get(own.url.rsplit("/", 1)[0] + "/" + segment_name, timeout=5)
    assert (segment.status_code, segment.headers["Content-Type"]) == (200, "video/mp2t")

    # 开播: the same encoder, now public.
    publisher = LiveSession.objects.get(pk=sid).publisher_client_id
    segments_before = len(plane.segments(public_id))
    assert post(streamer, f"/sessions/{sid}/go-live").json()["state"] == "live"
    assert pusher.poll() is None
    assert LiveSession.objects.get(pk=sid).publisher_client_id == publisher
    public = _playback(Client(), sid)
    assert public.status_code == 200
    assert "#EXTM3U" in public.text
    wait_for(
        lambda: len(plane.segments(public_id)) > segments_before,
        timeout_s=10,
        what="segments after going live",
    )

    # No key in any path, file or log under nginx's folders, the stat page or our logs.
    stat = plane.stat_xml()
    assert f"<name>{public_id}</name>" in stat
    assert key not in stat
    assert key_leaks(root=plane.root, key=key) == []
    assert [r.getMessage() for r in caplog.records if key in r.getMessage()] == []

    # Ending drops the encoder.
    assert post(streamer, f"/sessions/{sid}/end", {"reason": "下播"}).json()["state"] == "ended"
    assert pusher.wait(timeout=10) != 0
    assert key_leaks(root=plane.root, key=key) == []


def test_a_wrong_key_is_refused_and_a_rotation_cuts_the_old_key(
    plane: StudioPlane, client_of, verified, on_air
) -> None:
    session, key = on_air
    sid, public_id = session["id"], session["public_id"]
    wrong = plane.push(key="qs" + "0" * 40, seconds=5)
    assert wrong.wait(timeout=15) != 0
    assert list(plane.media.hls_dir.iterdir()) == []

    streamer = client_of(verified)
    first = plane.push(key=key, seconds=40)
    _wait_state(streamer, sid, "rehearsal", True)
    wait_for(lambda: plane.hls_ready(public_id, 1), timeout_s=20, what="HLS")
    new_key = post(streamer, f"/sessions/{sid}/key/rotate").json()["stream_key"]
    assert first.wait(timeout=10) != 0  # cut at once
    again = plane.push(key=key, seconds=5)
    assert again.wait(timeout=15) != 0
    assert _session(streamer, sid)["publishing"] is False
    plane.push(key=new_key, seconds=20)
    _wait_state(streamer, sid, "rehearsal", True)


def test_a_reconnect_within_the_grace_period_resumes(
    plane: StudioPlane, client_of, verified, on_air
) -> None:
    session, key = on_air
    sid = session["id"]
    streamer = client_of(verified)
    first = plane.push(key=key, seconds=40)
    _wait_state(streamer, sid, "rehearsal", True)
    started = post(streamer, f"/sessions/{sid}/go-live").json()["started_at"]
    first.kill()  # the phone loses its network
    first.wait(timeout=5)
    _wait_state(streamer, sid, "live", False)
    plane.push(key=key, seconds=20)
    _wait_state(streamer, sid, "live", True)
    after = _session(streamer, sid)
    assert after["started_at"] == started
    assert [(m["from_state"], m["to_state"]) for m in after["timeline"]] == [
        ("scheduled", "rehearsal"),
        ("rehearsal", "live"),
    ]


def test_health_figures_and_warnings_in_words(
    plane: StudioPlane, client_of, verified, on_air
) -> None:
    session, key = on_air
    sid = session["id"]
    streamer = client_of(verified)
    assert streamer.get(f"/api/v1/live/sessions/{sid}/health").json()["at"] is None
    pusher = plane.push(key=key, seconds=40, gop_s=5.0)  # OBS left at a 5 s keyframe interval
    _wait_state(streamer, sid, "rehearsal", True)
    time.sleep(3)
    assert sessions_health_poll() == 1
    time.sleep(2)
    assert media_keyframes_check(sid) == pytest.approx(5.0, abs=0.1)
    assert sessions_health_poll() == 1
    health = streamer.get(f"/api/v1/live/sessions/{sid}/health").json()
    assert health["publishing"] is True
    assert (health["width"], health["height"], health["fps"]) == (640, 360, 30.0)
    assert (health["video_codec"], health["audio_codec"]) == ("H264", "AAC")
    assert health["uptime_s"] >= 4
    assert health["bitrate_kbps"] > 50
    assert health["keyframe_interval_s"] == pytest.approx(5.0, abs=0.1)
    assert health["warnings"] == [
        {
            "code": "stream.keyframe_interval",
            "message": "关键帧间隔为 5.0 秒：请把推流软件的关键帧间隔设为 2 秒。",
        }
    ]
    pusher.kill()
    pusher.wait(timeout=5)
    _wait_state(streamer, sid, "rehearsal", False)
    sessions_health_poll()
    gone = streamer.get(f"/api/v1/live/sessions/{sid}/health").json()
    assert gone["publishing"] is False
    assert [w["code"] for w in gone["warnings"]] == [
        "stream.publisher_gone",
        "stream.keyframe_interval",
    ]
    assert gone["warnings"][0]["message"] == "推流软件已停止发送。"
