"""A session's cover: uploaded by its streamer, checked like every image, stored 720×960."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.accounts.roles import Role
from backend.live.models import LiveSession

pytestmark = pytest.mark.django_db


def _picture(size=(1600, 900), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 30)).save(buffer, fmt)
    return buffer.getvalue()


def _upload(client, session_id: int, data: bytes, name: str = "cover.png"):
    return client.post(
        f"/api/v1/live/sessions/{session_id}/cover",
        {"file": SimpleUploadedFile(name, data)},
    )


def _covers(session_id: int) -> list[str]:
    """The stored covers of one session (named after its public id)."""
    public_id = LiveSession.objects.get(pk=session_id).public_id
    folder = Path(settings.MEDIA_ROOT) / "live" / "covers"
    return sorted(p.name for p in folder.glob(f"{public_id}-*"))


def test_the_streamer_sets_and_replaces_the_cover(
    client_of, streamer, new_session, django_capture_on_commit_callbacks
) -> None:
    session = new_session(streamer)
    client = client_of(streamer)
    first = _upload(client, session["id"], _picture())
    assert first.status_code == 200, first.content
    url = first.json()["cover_url"]
    assert url.startswith("/media/live/covers/") and url.endswith(".jpg")
    stored = Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (720, 960))
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        second = _upload(client, session["id"], _picture((900, 1200), "JPEG"), "b.jpg")
    assert second.status_code == 200
    assert LiveSession.objects.get(pk=session["id"]).cover_url == second.json()["cover_url"]
    assert _covers(session["id"]) == [second.json()["cover_url"].rsplit("/", 1)[1]]  # 1st gone


def test_a_refused_cover_changes_nothing(client_of, streamer, make_user, new_session) -> None:
    session = new_session(streamer)
    broken = _upload(client_of(streamer), session["id"], b"GIF89a not really", "x.gif")
    assert broken.status_code == 415
    assert broken.json()["error"]["code"] == "image.unsupported_type"
    other = make_user(Role.STREAMER)
    stranger = _upload(client_of(other), session["id"], _picture())
    assert stranger.status_code == 404  # another streamer does not learn the session exists
    assert LiveSession.objects.get(pk=session["id"]).cover_url == ""
    assert _covers(session["id"]) == []


def test_no_cover_change_once_on_air(client_of, verified, live_now) -> None:
    refused = _upload(client_of(verified), live_now["id"], _picture())
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "live.illegal_transition"
    assert _covers(live_now["id"]) == []
    assert LiveSession.objects.get(pk=live_now["id"]).cover_url == ""
