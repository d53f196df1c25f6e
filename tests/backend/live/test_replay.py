"""With real nginx-rtmp and ffmpeg: one test-pattern push, two products explained, the
session ended; the replay, its cover, chapters and one clip per product follow, each clip
shown on its product's shop page; a clip that fails keeps its stderr tail and stops no
other. (One push serves every assertion: the suite's time is shared.)"""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from backend.live.models import Recording
from backend.live.models_media import ProductClip
from backend.live.tasks import media_clip_make, media_replay_build
from streaming import media_probe
from tests.backend.live.conftest import post
from tests.backend.live.studio_plane import StudioPlane, studio_plane, wait_for

pytestmark = [pytest.mark.media, pytest.mark.django_db(transaction=True)]

PAD = 2.0  # LIVE_CLIP_PADDING_SECONDS by default


@pytest.fixture
def plane(settings, live_server):
    with studio_plane(settings=settings, live_server_url=live_server.url) as running:
        yield running


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _media_file(url: str) -> Path:
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def _session(client: Client, sid: int) -> dict:
    return dict(client.get(f"/api/v1/live/sessions/{sid}").json())


def _on_air_with_two_products(plane: StudioPlane, streamer: Client, sid: int, key: str, skus):
    """Rehearse, go live, explain honey ~4 s then millet ~4 s, end. The explanations."""
    items = []
    for position, sku in enumerate([skus["honey"], skus["millet"]]):
        body = {"sku_id": sku.pk, "live_price": "39.90", "position": position}
        item = post(streamer, f"/sessions/{sid}/lineup", body).json()
        response = streamer.patch(
            f"/api/v1/live/sessions/{sid}/lineup/{item['id']}",
            {"state": "listed"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        items.append(item)
    plane.push(key=key, seconds=60)
    wait_for(lambda: _session(streamer, sid)["publishing"], timeout_s=15, what="rehearsal")
    time.sleep(2)  # a private rehearsal the replay must not show
    live = post(streamer, f"/sessions/{sid}/go-live").json()
    time.sleep(2)
    honey = post(streamer, f"/sessions/{sid}/lineup/{items[0]['id']}/explain").json()
    time.sleep(4)
    millet = post(streamer, f"/sessions/{sid}/lineup/{items[1]['id']}/explain").json()
    time.sleep(4)
    post(streamer, f"/sessions/{sid}/explain/end")
    time.sleep(3)  # room for the padding after the last 讲解
    ended = post(streamer, f"/sessions/{sid}/end", {"reason": "下播"}).json()
    explained = streamer.get(f"/api/v1/live/sessions/{sid}/explanations").json()
    assert [e["id"] for e in explained] == [honey["id"], millet["id"]]
    return _at(live["started_at"]), _at(ended["ended_at"]), explained


def _run(task, arg: int, done) -> None:
    """Run a media job here; a session Celery worker may have taken it first (the job is
    claimed, so this run then does nothing): wait until it is done either way."""
    task.apply(args=[arg])
    wait_for(done, timeout_s=30, what=f"{task.name}({arg})")


def test_a_stopped_stream_leaves_a_replay_with_chapters_and_product_clips(
    plane: StudioPlane, client_of, verified, new_session, on_sale_skus
) -> None:
    session = new_session(verified)
    sid, public_id = session["id"], session["public_id"]
    streamer = client_of(verified)
    key = post(streamer, f"/sessions/{sid}/key/reveal").json()["stream_key"]
    anyone = Client()
    assert anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["state"] == "none"

    started, ended, explained = _on_air_with_two_products(plane, streamer, sid, key, on_sale_skus)
    honey_product = on_sale_skus["honey"].product_id
    # A disk problem where the honey clip is written: that clip fails, the other does not.
    blocked = Path(settings.MEDIA_ROOT) / f"live/replays/{public_id}/clips/{honey_product}.mp4"
    blocked.mkdir(parents=True)

    def replay_state() -> str:
        return str(anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["state"])

    # nginx's on_record_done keeps the recording and the replay shows as processing.
    wait_for(lambda: replay_state() != "none", timeout_s=15, what="the recording")
    assert Recording.objects.filter(session_id=sid).count() == 1
    assert replay_state() == "processing"

    _run(media_replay_build, sid, lambda: replay_state() == "ready")
    clips = {c.product_id: c.pk for c in ProductClip.objects.filter(replay__session_id=sid)}
    assert sorted(clips) == sorted(s.product_id for s in on_sale_skus.values())[:2]
    for clip_id in clips.values():
        _run(
            media_clip_make,
            clip_id,
            lambda c=clip_id: ProductClip.objects.get(pk=c).state in ("ready", "failed"),
        )
    console = {c["product_id"]: c for c in streamer.get(f"/api/v1/live/sessions/{sid}/clips").json()}
    assert console[honey_product]["state"] == "failed"
    assert "Is a directory" in console[honey_product]["error"]
    millet_product = on_sale_skus["millet"].product_id
    assert (console[millet_product]["state"], console[millet_product]["error"]) == ("ready", "")

    # Staff clear the fault and run the failed clip again.
    shutil.rmtree(blocked)
    retried = post(streamer, f"/sessions/{sid}/clips/{clips[honey_product]}/retry")
    assert retried.status_code == 200, retried.content
    _run(
        media_clip_make,
        clips[honey_product],
        lambda: ProductClip.objects.get(pk=clips[honey_product]).state == "ready",
    )

    replay = anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()
    on_air = (ended - started).total_seconds()
    assert replay["duration_s"] == pytest.approx(on_air, abs=2)
    assert media_probe(path=_media_file(replay["video_url"])).duration_s == pytest.approx(
        on_air, abs=2
    )
    assert _media_file(replay["cover_url"]).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert [c["title"] for c in replay["chapters"]] == ["刺槐蜂蜜", "黄小米"]
    shop = {}
    for chapter, explanation in zip(replay["chapters"], explained, strict=True):
        start = (_at(explanation["started_at"]) - started).total_seconds()
        end = (_at(explanation["ended_at"]) - started).total_seconds()
        assert chapter["start_s"] == pytest.approx(start, abs=2)
        assert chapter["end_s"] == pytest.approx(end, abs=2)
        clip = media_probe(path=_media_file(chapter["clip_url"]))
        assert clip.duration_s == pytest.approx(end - start + 2 * PAD, abs=2)
        detail = anyone.get(f"/api/v1/shop/products/{chapter['product_id']}").json()
        shop[chapter["title"]] = detail["videos"]
    assert [[v["url"] for v in shop[c["title"]]] for c in replay["chapters"]] == [
        [c["clip_url"]] for c in replay["chapters"]
    ]
