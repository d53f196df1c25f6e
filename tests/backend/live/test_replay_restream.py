"""With real nginx-rtmp and ffmpeg: one test-pattern push, restreamed to a second local
nginx (a stand-in for Douyin) by the supervising process while two products are explained;
the supervisor is killed and restreaming resumes; the session ends and the replay, its
cover, chapters and one clip per product follow, each clip shown on its product's shop
page; a clip that fails keeps its stderr tail and stops no other; the platform's key is in
no log, answer, file, command line or stat page. (One push serves every assertion: the
suite's time is shared.)"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from backend.live.models import Recording
from backend.live.models_media import ProductClip
from backend.live.tasks import media_clip_make, media_replay_build
from streaming import FfmpegError, media_probe
from streaming.health import stat_fetch, stream_find
from tests import harness
from tests.backend.live.conftest import post
from tests.backend.live.studio_plane import StudioPlane, studio_plane, wait_for
from tests.conftest import _database_url
from tests.streaming.plane import Plane, key_leaks, process_lines, running_plane, stream_key

pytestmark = [pytest.mark.media, pytest.mark.django_db(transaction=True)]

PAD = 2.0  # LIVE_CLIP_PADDING_SECONDS by default


@pytest.fixture
def plane(settings, live_server):
    with studio_plane(settings=settings, live_server_url=live_server.url) as running:
        yield running


@pytest.fixture
def platform() -> Iterator[tuple[Plane, str]]:
    """Another platform's ingest: a second nginx that takes one key (and names it mirror)."""
    key = stream_key()
    with running_plane(keys={key: "mirror"}, ladder=False, record=False) as other:
        yield other, key


@pytest.fixture
def supervisor(plane: StudioPlane) -> Iterator[harness.Process]:
    """`manage.py live_restream` (the watchdog and its supervisor) on this test's database,
    Redis namespace and media plane."""
    env = harness.base_env(
        DATABASE_URL=_database_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        REDIS_PREFIX=settings.REDIS_PREFIX,
        DEBUG="1",
        STREAMING_RTMP_PORT=str(plane.media.rtmp_port),
        STREAMING_HOST=plane.media.host,
    )
    proc = harness.Process("restream", [harness.PYTHON, "manage.py", "live_restream"], env)
    proc.start(lambda: len(harness.children(proc.proc.pid)) == 1)  # type: ignore[union-attr]
    try:
        yield proc
    finally:
        proc.stop()


def _mirrored(other: Plane) -> bool:
    found = stream_find(streams=stat_fetch(url=other.settings.stat_url), app="show", name="mirror")
    return found is not None and found.publishing


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _media_file(url: str) -> Path:
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def _clip_duration(anyone: Client, sid: int, *, product_id: int) -> float:
    """A chapter's clip as probed. A media job of the suite's worker may make the clip again
    after its URL was read (the catalogue drops the replaced file on commit): the replay is
    then read again and the new file probed."""
    found: list[float] = []

    def probed() -> bool:
        chapters = anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["chapters"]
        url = next(c["clip_url"] for c in chapters if c["product_id"] == product_id)
        try:
            found.append(media_probe(path=_media_file(url)).duration_s)
        except FfmpegError:
            if _media_file(url).exists():
                raise  # a file that is there and does not probe is a real fault
            return False
        return True

    wait_for(probed, timeout_s=30, what=f"the clip of product {product_id}")
    return found[-1]


def _session(client: Client, sid: int) -> dict:
    return dict(client.get(f"/api/v1/live/sessions/{sid}").json())


def _for_at_least(seconds: float, work) -> None:
    began = time.monotonic()
    work()
    time.sleep(max(0.0, seconds - (time.monotonic() - began)))


def _on_air_with_two_products(
    plane: StudioPlane, streamer: Client, sid: int, key: str, skus, *, while_honey, while_millet
):
    """Rehearse, go live, explain honey then millet (each at least 4 s, while the given
    checks run), end. The on-air times and the explanations."""
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
    plane.push(key=key, seconds=90)
    wait_for(lambda: _session(streamer, sid)["publishing"], timeout_s=15, what="rehearsal")
    time.sleep(2)  # a private rehearsal the replay must not show
    live = post(streamer, f"/sessions/{sid}/go-live").json()
    time.sleep(2)
    post(streamer, f"/sessions/{sid}/lineup/{items[0]['id']}/explain")
    _for_at_least(4, while_honey)
    post(streamer, f"/sessions/{sid}/lineup/{items[1]['id']}/explain")
    _for_at_least(4, while_millet)
    post(streamer, f"/sessions/{sid}/explain/end")
    time.sleep(3)  # room for the padding after the last 讲解
    ended = post(streamer, f"/sessions/{sid}/end", {"reason": "下播"}).json()
    explained = streamer.get(f"/api/v1/live/sessions/{sid}/explanations").json()
    assert [e["item_id"] for e in explained] == [items[0]["id"], items[1]["id"]]
    return _at(live["started_at"]), _at(ended["ended_at"]), explained


def _run(task, arg: int, done) -> None:
    """Run a media job here; a session Celery worker may have taken it first (the job is
    claimed, so this run then does nothing): wait until it is done either way. The worker
    may be busy with an earlier test's media job first (a demo_load queues the demo
    replay), hence the long wait."""
    task.apply(args=[arg])
    wait_for(done, timeout_s=90, what=f"{task.name}({arg})")


def test_restreamed_then_replayed_with_chapters_and_product_clips(
    plane: StudioPlane, platform, supervisor, client_of, verified, new_session, on_sale_skus, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    session = new_session(verified)
    sid, public_id = session["id"], session["public_id"]
    honey_product = on_sale_skus["honey"].product_id
    # A disk problem where the honey clip is written: that clip fails, the other does not.
    # Made before anything is pushed: a session Celery worker of the suite may cut the clips
    # as soon as the recording is done.
    blocked = Path(settings.MEDIA_ROOT) / f"live/replays/{public_id}/clips/{honey_product}"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the honey clips' folder goes")
    streamer = client_of(verified)
    key = post(streamer, f"/sessions/{sid}/key/reveal").json()["stream_key"]
    anyone = Client()
    assert anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["state"] == "none"
    other, other_key = platform
    added = post(
        streamer,
        f"/sessions/{sid}/restreams",
        {"platform": "douyin", "server_url": other.settings.ingest_url, "stream_key": other_key},
    )
    assert added.status_code == 201, added.content
    answers = [added.content]

    def health() -> dict:
        response = streamer.get(f"/api/v1/live/sessions/{sid}/restreams")
        answers.append(response.content)
        return dict(response.json()[0])

    def restream_arrives() -> None:
        wait_for(lambda: _mirrored(other), timeout_s=15, what="the restream on the platform")
        wait_for(lambda: health()["status"] == "connected", timeout_s=10, what="connected")
        assert health()["bitrate_kbps"] > 0
        # The key went to the platform, through no command line.
        assert process_lines(other_key) == []
        assert process_lines(other.settings.ingest_url) != []

    def supervisor_killed_and_resumed() -> None:
        (child,) = harness.children(supervisor.proc.pid)  # type: ignore[union-attr]
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: not _mirrored(other), timeout_s=10, what="its ffmpeg gone with it")
        wait_for(lambda: _mirrored(other), timeout_s=20, what="restreaming resumed")
        assert harness.children(supervisor.proc.pid) != [child]  # type: ignore[union-attr]

    started, ended, explained = _on_air_with_two_products(
        plane,
        streamer,
        sid,
        key,
        on_sale_skus,
        while_honey=restream_arrives,
        while_millet=supervisor_killed_and_resumed,
    )
    wait_for(lambda: not _mirrored(other), timeout_s=10, what="restream stopped at the end")
    wait_for(lambda: health()["status"] == "idle", timeout_s=5, what="idle")
    for secret in (other_key, key):
        assert [a for a in answers if secret.encode() in a] == []
        assert secret not in supervisor.log()
        assert [r.getMessage() for r in caplog.records if secret in r.getMessage()] == []
        assert secret not in requests.get(plane.media.stat_url, timeout=5).text
        assert key_leaks(root=plane.root, key=secret) == []
        assert key_leaks(root=Path(settings.MEDIA_ROOT), key=secret) == []
    assert key_leaks(root=other.root, key=other_key) == []

    def replay_state() -> str:
        return str(anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["state"])

    # nginx's on_record_done keeps the recording and the replay shows as processing (or
    # already ready, when a session Celery worker of the suite took the media job first).
    wait_for(lambda: replay_state() != "none", timeout_s=15, what="the recording")
    assert Recording.objects.filter(session_id=sid).count() == 1
    assert replay_state() in {"processing", "ready"}

    _run(media_replay_build, sid, lambda: replay_state() == "ready")
    clips = {c.product_id: c.pk for c in ProductClip.objects.filter(replay__session_id=sid)}
    assert sorted(clips) == sorted(s.product_id for s in on_sale_skus.values())[:2]
    for clip_id in clips.values():
        _run(
            media_clip_make,
            clip_id,
            lambda c=clip_id: ProductClip.objects.get(pk=c).state in ("ready", "failed"),
        )
    console = {
        c["product_id"]: c for c in streamer.get(f"/api/v1/live/sessions/{sid}/clips").json()
    }
    assert console[honey_product]["state"] == "failed"
    assert "File exists" in console[honey_product]["error"]
    millet_product = on_sale_skus["millet"].product_id
    assert (console[millet_product]["state"], console[millet_product]["error"]) == ("ready", "")

    # Staff clear the fault and run the failed clip again.
    blocked.unlink()
    retried = post(streamer, f"/sessions/{sid}/clips/{clips[honey_product]}/retry")
    assert retried.status_code == 200, retried.content
    _run(
        media_clip_make,
        clips[honey_product],
        lambda: ProductClip.objects.get(pk=clips[honey_product]).state == "ready",
    )

    def settled() -> dict | None:
        """The replay once every chapter's clip file is on disk: a media job of the suite's
        worker may still replace a clip's file (the catalogue drops the old one on commit)."""
        answer = anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()
        urls = [c["clip_url"] for c in answer["chapters"]]
        return answer if all(u and _media_file(u).is_file() for u in urls) else None

    wait_for(lambda: settled() is not None, timeout_s=30, what="every clip's file")
    replay = settled()
    assert replay is not None
    on_air = (ended - started).total_seconds()
    assert replay["duration_s"] == pytest.approx(on_air, abs=2)
    assert media_probe(path=_media_file(replay["video_url"])).duration_s == pytest.approx(
        on_air, abs=2
    )
    assert _media_file(replay["cover_url"]).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert [c["title"] for c in replay["chapters"]] == ["刺槐蜂蜜", "黄小米"]
    for chapter, explanation in zip(replay["chapters"], explained, strict=True):
        start = (_at(explanation["started_at"]) - started).total_seconds()
        end = (_at(explanation["ended_at"]) - started).total_seconds()
        assert chapter["start_s"] == pytest.approx(start, abs=2)
        assert chapter["end_s"] == pytest.approx(end, abs=2)
        clip_s = _clip_duration(anyone, sid, product_id=chapter["product_id"])
        assert clip_s == pytest.approx(end - start + 2 * PAD, abs=2)

    def shop_shows_the_clips() -> bool:
        """Each product's page shows its chapter's clip, read after the replay (a clip made
        again meanwhile shows on both once its job commits)."""
        chapters = anyone.get(f"/api/v1/live/sessions/{sid}/replay").json()["chapters"]
        pages = [anyone.get(f"/api/v1/shop/products/{c['product_id']}").json() for c in chapters]
        shown = [[v["url"] for v in page["videos"]] for page in pages]
        return shown == [[c["clip_url"]] for c in chapters]

    wait_for(shop_shows_the_clips, timeout_s=30, what="each product page showing its clip")
