"""A stream going live through the real nginx-rtmp and the ffmpeg ladder."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from streaming.callbacks import PublishDone, PublishRequest, RecordDone
from streaming.health import WarningCode, health_warnings, stream_find
from streaming.probe import media_probe
from tests.streaming.live_session import PUBLIC_ID, LiveRun
from tests.streaming.plane import Plane, key_leaks

pytestmark = pytest.mark.media


def test_the_right_key_is_relayed_to_the_public_id(live_run: LiveRun, plane: Plane) -> None:
    publishes = [
        e for e in plane.events if isinstance(e, PublishRequest) and e.stream_key == live_run.key
    ]
    assert len(publishes) == 1
    assert publishes[0].app == "live"
    assert live_run.push_returncode == 0
    dones = [e for e in plane.events if isinstance(e, PublishDone) and e.stream_key == live_run.key]
    assert len(dones) == 1


def test_master_playlist_and_both_renditions_are_served(live_run: LiveRun) -> None:
    master, playlist, segment = (live_run.hls_live[k] for k in ("master", "playlist", "segment"))
    assert master.status_code == 200
    assert master.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "no-cache" in master.headers["Cache-Control"]
    assert master.headers["Access-Control-Allow-Origin"] == "*"
    variants = [line for line in master.text.splitlines() if line and not line.startswith("#")]
    assert variants == ["source/index.m3u8", "480p/index.m3u8"]
    assert "RESOLUTION=640x360" in master.text
    assert "RESOLUTION=854x480" in master.text
    assert playlist.status_code == 200
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in playlist.text
    assert segment.status_code == 200
    assert segment.headers["Content-Type"] == "video/mp2t"


def _segments(playlist: str) -> dict[str, float]:
    lines = playlist.splitlines()
    return {
        name: float(info.removeprefix("#EXTINF:").rstrip(","))
        for info, name in itertools.pairwise(lines)
        if info.startswith("#EXTINF:")
    }


def test_both_renditions_cut_segments_at_the_same_keyframes(live_run: LiveRun) -> None:
    source = _segments(live_run.hls_live["source_playlist"].text)
    scaled = _segments(live_run.hls_live["playlist"].text)
    common = sorted(set(source) & set(scaled))
    assert len(common) >= 2
    assert [source[n] for n in common] == pytest.approx([scaled[n] for n in common], abs=0.1)
    # after the first (joined mid-GOP) segment every one is one 2-second GOP
    assert {round(source[n], 1) for n in common[1:]} == {2.0}


def test_the_480p_rendition_follows_the_source_keyframes(live_run: LiveRun, tmp_path: Path) -> None:
    seg = tmp_path / "seg.ts"
    seg.write_bytes(live_run.hls_live["segment"].content)
    info = media_probe(path=seg)
    assert (info.width, info.height, info.video_codec) == (854, 480, "h264")
    assert info.duration_s == pytest.approx(2.0, abs=0.2)


def test_no_path_file_or_stat_entry_carries_the_key(live_run: LiveRun, plane: Plane) -> None:
    assert live_run.leaks_while_live == []
    assert key_leaks(root=plane.root, key=live_run.key) == []
    assert [x for x in live_run.stat_xml if live_run.key in x] == []
    assert [e for e in plane.events if live_run.key in repr(e)] == []


def test_health_figures_while_live_and_after(live_run: LiveRun) -> None:
    first, second = live_run.stats_live[0], live_run.stats_live[-1]
    # the show application holds the stream under its public id
    assert (second.app, second.name, second.publishing) == ("show", PUBLIC_ID, True)
    assert (second.width, second.height, second.fps) == (640, 360, 30.0)
    assert (second.video_codec, second.audio_codec) == ("H264", "AAC")
    assert second.clients == 2  # the relay publishing in, the ladder reading out
    assert second.uptime_s > first.uptime_s > 0
    assert second.avg_bitrate_bps > 50_000
    assert health_warnings(previous=first, current=second, keyframes=live_run.keyframes) == []
    after = stream_find(streams=live_run.stats_after, app="show", name=PUBLIC_ID)
    codes = [w.code for w in health_warnings(previous=second, current=after)]
    assert codes == [WarningCode.PUBLISHER_GONE]


def test_keyframe_interval_of_the_live_stream_is_reported(live_run: LiveRun) -> None:
    assert live_run.keyframes.ok is True
    assert live_run.keyframes.interval_s == pytest.approx(2.0, abs=0.05)


def test_record_done_names_the_public_id_and_the_file(live_run: LiveRun, plane: Plane) -> None:
    records = [e for e in plane.events if isinstance(e, RecordDone)]
    assert len(records) == 1
    assert (records[0].app, records[0].public_id) == ("show", PUBLIC_ID)
    assert records[0].path.parent == plane.settings.record_dir
    assert records[0].path.name.startswith(f"{PUBLIC_ID}-")
    assert records[0].path.suffix == ".flv"
    assert records[0].path.stat().st_size > 100_000


def test_a_wrong_key_is_refused(plane: Plane) -> None:
    before = sorted(p.relative_to(plane.root) for p in plane.settings.hls_dir.rglob("*"))
    records_before = sorted(plane.settings.record_dir.iterdir())
    pusher = plane.push(key="sk-not-a-key", seconds=5)
    assert pusher.wait(timeout=10) != 0
    refused = [
        e for e in plane.events if isinstance(e, PublishRequest) and e.stream_key == "sk-not-a-key"
    ]
    assert len(refused) == 1
    assert sorted(p.relative_to(plane.root) for p in plane.settings.hls_dir.rglob("*")) == before
    assert sorted(plane.settings.record_dir.iterdir()) == records_before
