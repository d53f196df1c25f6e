"""Restreaming the live stream to other platforms; a second local nginx stands in for one."""

from __future__ import annotations

import pytest

from streaming.health import stat_fetch, stream_find
from streaming.restream import Restreamer, RestreamTarget
from tests.harness import refused_port
from tests.streaming.plane import Plane, process_lines, running_plane, stream_key, wait_for

pytestmark = pytest.mark.media

PUBLIC_ID = "pub-restream"


def _publishing(plane: Plane, app: str, name: str) -> bool:
    stream = stream_find(streams=stat_fetch(url=plane.settings.stat_url), app=app, name=name)
    return stream is not None and stream.publishing


def test_each_target_runs_and_fails_on_its_own(plane: Plane) -> None:
    key = next(k for k, v in plane.keys.items() if v == PUBLIC_ID)
    target_key, dead_key = stream_key(), stream_key()
    with (
        running_plane(keys={target_key: "mirror"}, ladder=False, record=False) as target,
        refused_port() as dead_port,
    ):
        plane.push(key=key, seconds=12)
        wait_for(lambda: _publishing(plane, "show", PUBLIC_ID), timeout_s=10, what="source live")
        restreamer = Restreamer(source_url=plane.settings.show_url(public_id=PUBLIC_ID))
        good = RestreamTarget(
            name="douyin", server_url=target.settings.ingest_url, stream_key=target_key
        )
        dead = RestreamTarget(
            name="kuaishou", server_url=f"rtmp://127.0.0.1:{dead_port}/live", stream_key=dead_key
        )
        try:
            restreamer.start(target=good)
            restreamer.start(target=dead)
            wait_for(lambda: _publishing(target, "show", "mirror"), timeout_s=10, what="mirror")
            # The key reached the target (it accepted the push) but no command line.
            assert process_lines(target_key) == []
            assert process_lines(target.settings.ingest_url) != []
            wait_for(lambda: restreamer.status()["douyin"].connected, timeout_s=5, what="bytes")
            assert restreamer.status()["douyin"].bitrate_kbps > 0
            wait_for(lambda: not restreamer.status()["kuaishou"].running, timeout_s=10, what="fail")
            status = restreamer.status()
            assert status["douyin"].running is True
            assert status["kuaishou"].returncode not in (None, 0)
            assert "Connection refused" in status["kuaishou"].stderr_tail
            assert dead_key not in status["kuaishou"].stderr_tail
            wait_for(
                lambda: (target.settings.hls_dir / "mirror" / "index.m3u8").exists(),
                timeout_s=10,
                what="mirror HLS",
            )
            stopped = restreamer.stop(name="douyin")
            assert stopped.running is False
            assert restreamer.status() == {"kuaishou": status["kuaishou"]}
            wait_for(lambda: not _publishing(target, "show", "mirror"), timeout_s=10, what="stop")
            assert _publishing(plane, "show", PUBLIC_ID) is True
        finally:
            restreamer.stop_all()
    assert target_key not in repr(good)
    assert good.redacted_url == f"rtmp://127.0.0.1:{target.settings.rtmp_port}/***"
