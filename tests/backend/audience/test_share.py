"""Sharing: the poster decodes to the watch page (its QR read back with zxing-cpp), is
drawn once per version of the session, and has the county's artwork without a cover; the
short link and the old viewer URL lead to the watch page, which tells a shared link its
title and picture, and answers a session that is not there with a kind page."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.core.files.storage import default_storage
from PIL import Image

from backend.audience.poster import COVER_BOX, FOLDER, SIZE
from backend.audience.shape import short_code
from backend.live.models import LiveSession
from tests.factories.records import session_held

pytestmark = pytest.mark.django_db


def _poster(client, session) -> Image.Image:
    response = client.get(f"/api/v1/audience/sessions/{session.pk}/poster.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def _posters_of(session) -> list[str]:
    _dirs, files = default_storage.listdir(FOLDER)
    return sorted(f for f in files if f.startswith(f"{session.pk}-"))


def test_the_poster_decodes_to_the_watch_page_and_is_redrawn_only_on_change(client, coming) -> None:
    poster = _poster(client, coming)
    assert poster.size == SIZE
    codes = zxingcpp.read_barcodes(poster)
    assert [(c.format.name, c.text) for c in codes] == [
        ("QRCode", f"https://live.example.cn/live/{coming.pk}/")
    ]
    first = _posters_of(coming)
    assert len(first) == 1
    _poster(client, coming)
    assert _posters_of(coming) == first  # cached: the same file

    LiveSession.objects.filter(pk=coming.pk).update(title="端氏黄小米 改期直播")
    coming.refresh_from_db()
    _poster(client, coming)
    second = _posters_of(coming)
    assert len(second) == 1 and second != first  # redrawn; the old one is gone


def test_without_a_cover_the_poster_has_the_county_artwork(client, coming) -> None:
    assert coming.cover_url == ""
    poster = _poster(client, coming).convert("RGB")
    # The artwork's hills (green) fill the lower cover; the sun sits top right.
    assert poster.getpixel((20, COVER_BOX[1] - 20)) == (74, 122, 62)
    assert poster.getpixel((610, 190)) == (214, 120, 24)


def test_a_rehearsal_has_no_poster(client, streamer) -> None:
    from django.utils import timezone

    private = session_held(streamer=streamer, started=timezone.now(), state="rehearsal")
    response = client.get(f"/api/v1/audience/sessions/{private.pk}/poster.png")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_watch_page_tells_a_shared_link_its_title_and_picture(client, coming) -> None:
    html = client.get(f"/live/{coming.pk}/").content.decode()
    assert '<meta property="og:title" content="端氏黄小米 丰收直播">' in html
    poster = f"http://testserver/api/v1/audience/sessions/{coming.pk}/poster.png"
    assert f'<meta property="og:image" content="{poster}">' in html
    assert f'<meta property="og:url" content="https://live.example.cn/live/{coming.pk}/">' in html
    assert "<title>端氏黄小米 丰收直播 · 沁水电商</title>" in html
    assert f'data-session="{coming.pk}" data-missing=""' in html


@pytest.mark.parametrize("state", ["rehearsal", "cancelled", None])
def test_a_session_not_there_gets_a_kind_page(client, streamer, state) -> None:
    from django.utils import timezone

    session_id = 999999
    if state:
        session_id = session_held(streamer=streamer, started=timezone.now(), state=state).pk
    response = client.get(f"/live/{session_id}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'data-session="{session_id}" data-missing="1"' in html
    assert 'data-i18n="watch.missing"' in html and "og:title" not in html


def test_the_short_link_and_the_old_url_lead_to_the_watch_page(client, coming) -> None:
    assert [short_code(n) for n in (7, 35, 36, 46655)] == ["7", "z", "10", "zzz"]
    response = client.get(f"/s/{short_code(coming.pk)}")
    assert (response.status_code, response["Location"]) == (302, f"/live/{coming.pk}/")
    assert client.get("/s/zzz")["Location"] == "/live/46655/"
    assert client.get(f"/live/watch/?id={coming.pk}")["Location"] == f"/live/{coming.pk}/"
    assert client.get("/live/watch/?id=x")["Location"] == "/live/"
    watch = client.get(f"/api/v1/audience/sessions/{coming.pk}").json()
    assert watch["share_url"] == f"https://live.example.cn/s/{short_code(coming.pk)}"
