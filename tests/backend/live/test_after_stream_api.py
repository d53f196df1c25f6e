"""The replay, restream targets and storage report through the API, without a media plane:
who may see and change what, the key never answered, the retention sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from backend.accounts.roles import Role
from backend.live.models import LiveSession, Recording
from backend.live.models_media import Replay, RestreamTarget
from backend.live.services_retention import retention_sweep
from tests.backend.live.conftest import post

pytestmark = pytest.mark.django_db

DOUYIN = {
    "platform": "douyin",
    "server_url": "rtmp://push-rtmp-l1.douyincdn.com/third",
    "stream_key": "stream-7312?expire=1767225600&sign=9f8e7d6c5b4a",
}


def test_only_the_streamer_adds_targets_and_no_answer_carries_the_key(
    client_of, verified, new_session, make_user
) -> None:
    sid = new_session(verified)["id"]
    streamer = client_of(verified)
    added = post(streamer, f"/sessions/{sid}/restreams", DOUYIN)
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["label"], body["server_url"], body["status"], body["enabled"]) == (
        "Douyin",
        "rtmp://push-rtmp-l1.douyincdn.com/third",
        "idle",
        True,
    )
    listed = streamer.get(f"/api/v1/live/sessions/{sid}/restreams")
    for answer in (added, listed):
        assert "stream-7312" not in answer.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stream_key FROM live_restreamtarget")
        assert "stream-7312" not in cursor.fetchone()[0]  # encrypted at rest

    assistant = make_user(Role.STREAMER, username="zhongkong")
    post(streamer, f"/sessions/{sid}/assistants", {"username": "zhongkong"})
    helper = client_of(assistant)
    assert len(helper.get(f"/api/v1/live/sessions/{sid}/restreams").json()) == 1
    refused = post(helper, f"/sessions/{sid}/restreams", DOUYIN)
    assert refused.status_code == 403
    stranger = client_of(make_user(Role.STREAMER))
    assert stranger.get(f"/api/v1/live/sessions/{sid}/restreams").status_code == 404
    assert RestreamTarget.objects.count() == 1

    target = body["id"]
    off = streamer.patch(
        f"/api/v1/live/sessions/{sid}/restreams/{target}",
        {"enabled": False},
        content_type="application/json",
    )
    assert off.json()["enabled"] is False
    assert helper.delete(f"/api/v1/live/sessions/{sid}/restreams/{target}").status_code == 403
    assert streamer.delete(f"/api/v1/live/sessions/{sid}/restreams/{target}").status_code == 204
    assert RestreamTarget.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["http://example.com/live", "rtmp:///live", "rtmp://host/live?key=abc", "douyin"]
)
def test_a_server_url_that_is_not_rtmp_is_refused(client_of, verified, new_session, url) -> None:
    sid = new_session(verified)["id"]
    refused = post(client_of(verified), f"/sessions/{sid}/restreams", {**DOUYIN, "server_url": url})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "live.restream_url_invalid"
    assert RestreamTarget.objects.count() == 0


def test_the_replay_is_shown_to_whoever_may_watch(client_of, verified, new_session) -> None:
    sid = new_session(verified)["id"]
    anyone = Client()
    assert anyone.get(f"/api/v1/live/sessions/{sid}/replay").json() == {
        "state": "none",
        "video_url": None,
        "cover_url": None,
        "duration_s": None,
        "chapters": [],
    }
    LiveSession.objects.filter(pk=sid).update(state="rehearsal")  # private
    assert anyone.get(f"/api/v1/live/sessions/{sid}/replay").status_code == 404
    assert client_of(verified).get(f"/api/v1/live/sessions/{sid}/replay").status_code == 200
    LiveSession.objects.filter(pk=sid).update(state="cancelled")
    assert anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["error"]["code"] == (
        "not_found"
    )
    assert anyone.get("/api/v1/live/sessions/999999/replay").status_code == 404


def _recording(session_id: int, path: Path, *, at: datetime, size: int, keep: datetime):
    path.write_bytes(b"x" * size)
    recording = Recording.objects.create(
        session_id=session_id, path=str(path), size_bytes=size, keep_until=keep
    )
    Recording.objects.filter(pk=recording.pk).update(finished_at=at)
    return recording


def test_storage_report_and_retention(
    client_of, verified, new_session, office, tmp_path, settings
) -> None:
    sid = new_session(verified)["id"]
    now = timezone.now()
    old = _recording(
        sid,
        tmp_path / "old.flv",
        at=datetime(2023, 5, 2, tzinfo=UTC),
        size=300,
        keep=now - timedelta(days=1),
    )
    new = _recording(
        sid, tmp_path / "new.flv", at=datetime(2026, 11, 3, tzinfo=UTC), size=500, keep=now
    )
    Replay.objects.create(
        session_id=sid, state="ready", size_bytes=70, built_at=datetime(2026, 11, 3, tzinfo=UTC)
    )
    assert client_of(verified).get("/api/v1/live/storage-report").status_code == 403
    report = client_of(office).get("/api/v1/live/storage-report").json()
    assert report == {
        "retention_days": settings.LIVE_MEDIA_RETENTION_DAYS,
        "months": [
            {
                "month": "2023-05",
                "recordings": 1,
                "recording_bytes": 300,
                "replay_bytes": 0,
                "clip_bytes": 0,
                "total_bytes": 300,
            },
            {
                "month": "2026-11",
                "recordings": 1,
                "recording_bytes": 500,
                "replay_bytes": 70,
                "clip_bytes": 0,
                "total_bytes": 570,
            },
        ],
        "oldest_at": "2023-05-02T08:00:00+08:00",
        "oldest_session_id": sid,
        "total_bytes": 870,
    }
    Recording.objects.filter(pk=new.pk).update(keep_until=now + timedelta(days=1))
    assert retention_sweep() == 1
    assert not Path(old.path).exists()
    assert Path(new.path).read_bytes() == b"x" * 500
    assert [r.deleted_at is not None for r in Recording.objects.order_by("id")] == [True, False]
    after = client_of(office).get("/api/v1/live/storage-report").json()
    assert (after["total_bytes"], after["oldest_session_id"]) == (570, sid)
