"""The recording of the live run: remux, probe, clips, cover, thumbnails; typed failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from streaming.callbacks import RecordDone
from streaming.errors import FfmpegError, FfmpegTimeout, MediaError
from streaming.health import WarningCode, health_warnings
from streaming.probe import keyframe_interval_check, media_probe
from streaming.replay import ClipSpan, clip_cut, cover_pick, recording_remux, thumbnails_make
from streaming.testpattern import pattern_file_write
from tests.streaming.live_session import PUSH_S, LiveRun
from tests.streaming.plane import Plane

pytestmark = pytest.mark.media

GOP_S = 2.0
SPAN = ClipSpan(start_s=5.0, end_s=9.0)


@pytest.fixture(scope="module")
def replay_mp4(live_run: LiveRun, plane: Plane, tmp_path_factory: pytest.TempPathFactory) -> Path:
    record = plane.wait_event(RecordDone)
    target = tmp_path_factory.mktemp("replay") / "replay.mp4"
    return recording_remux(source=record.path, target=target)


def test_the_remuxed_recording_plays_for_as_long_as_the_push(replay_mp4: Path) -> None:
    info = media_probe(path=replay_mp4)
    assert info.duration_s == pytest.approx(PUSH_S, abs=1.0)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height, info.fps) == (640, 360, 30.0)
    assert "mp4" in info.format_name
    # faststart: the index (moov) comes before the media data (mdat)
    head = replay_mp4.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_a_copy_clip_starts_on_the_keyframe_before_the_start(
    replay_mp4: Path, tmp_path: Path
) -> None:
    clip = clip_cut(source=replay_mp4, target=tmp_path / "clip.mp4", span=SPAN)
    duration = media_probe(path=clip).duration_s
    assert SPAN.duration_s - 0.1 <= duration <= SPAN.duration_s + GOP_S + 0.1


def test_an_exact_clip_is_within_a_tenth_of_a_second(replay_mp4: Path, tmp_path: Path) -> None:
    clip = clip_cut(source=replay_mp4, target=tmp_path / "exact.mp4", span=SPAN, exact=True)
    assert media_probe(path=clip).duration_s == pytest.approx(SPAN.duration_s, abs=0.1)


def test_thumbnails_every_five_seconds_and_a_cover(replay_mp4: Path, tmp_path: Path) -> None:
    thumbs = thumbnails_make(source=replay_mp4, folder=tmp_path / "thumbs", every_s=5.0)
    # one per started 5 s, rounded: 14 s +- 1 gives three
    assert [t.name for t in thumbs] == ["thumb-0001.jpg", "thumb-0002.jpg", "thumb-0003.jpg"]
    assert {(media_probe(path=t).width, media_probe(path=t).height) for t in thumbs} == {(320, 180)}
    cover = cover_pick(source=replay_mp4, target=tmp_path / "cover.jpg")
    assert (media_probe(path=cover).width, media_probe(path=cover).height) == (640, 360)


def test_an_off_keyframe_interval_is_reported(tmp_path: Path) -> None:
    sample = pattern_file_write(path=tmp_path / "gop5.flv", seconds=16, gop_s=5.0)
    report = keyframe_interval_check(source=str(sample), sample_s=16)
    assert report.ok is False
    assert report.interval_s == pytest.approx(5.0, abs=0.05)
    codes = [w.code for w in health_warnings(previous=None, current=None, keyframes=report)]
    assert codes == [WarningCode.KEYFRAME_INTERVAL]


def test_a_missing_source_raises_ffmpeg_error_with_code_and_stderr(tmp_path: Path) -> None:
    with pytest.raises(FfmpegError) as caught:
        clip_cut(source=tmp_path / "nope.flv", target=tmp_path / "out.mp4", span=SPAN, timeout_s=30)
    assert caught.value.tool == "ffmpeg"
    assert caught.value.returncode not in (0, -9)
    assert "No such file or directory" in caught.value.stderr_tail
    assert not (tmp_path / "out.mp4").exists()


def test_a_broken_file_raises_ffprobe_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    with pytest.raises(FfmpegError) as caught:
        media_probe(path=broken)
    assert caught.value.tool == "ffprobe"
    assert "Invalid data found" in caught.value.stderr_tail


def test_a_run_past_its_timeout_raises_ffmpeg_timeout(replay_mp4: Path, tmp_path: Path) -> None:
    with pytest.raises(FfmpegTimeout) as caught:
        clip_cut(
            source=replay_mp4, target=tmp_path / "slow.mp4", span=SPAN, exact=True, timeout_s=0.05
        )
    assert caught.value.timeout_s == 0.05
    assert caught.value.returncode == -9


def test_a_clip_span_must_run_forward() -> None:
    with pytest.raises(MediaError):
        ClipSpan(start_s=9.0, end_s=5.0)
