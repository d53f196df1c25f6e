"""ffprobe wrappers: duration and codecs of a file, keyframe times of a file or live URL."""

from __future__ import annotations

import itertools
import json
import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from streaming.errors import FfmpegError
from streaming.ffrun import network_input_options, run_args, run_spec

RECOMMENDED_KEYFRAME_S = 2.0


@dataclass(frozen=True, kw_only=True)
class MediaInfo:
    duration_s: float
    format_name: str
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    fps: float | None


def _ffprobe(*, args: list[str], timeout_s: float, what: str) -> Any:
    binary = shutil.which("ffprobe") or "ffprobe"
    out = run_args(
        args=[binary, "-v", "error", "-of", "json", *args], timeout_s=timeout_s, what=what
    )
    return json.loads(out or b"{}")


def _rate(text: str | None) -> float | None:
    if not text or "/" not in text:
        return None
    num, den = text.split("/", 1)
    return float(num) / float(den) if float(den) else None


def media_probe(*, path: Path, timeout_s: float = 30.0) -> MediaInfo:
    """Duration, container and codecs of a media file."""
    data = _ffprobe(
        args=["-show_format", "-show_streams", str(path)], timeout_s=timeout_s, what="probe"
    )
    streams: list[dict[str, Any]] = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    fmt: dict[str, Any] = data.get("format", {})
    if "duration" not in fmt:
        raise FfmpegError(tool="ffprobe", returncode=0, stderr_tail="no duration", what="probe")
    return MediaInfo(
        duration_s=float(fmt["duration"]),
        format_name=str(fmt.get("format_name", "")),
        video_codec=video.get("codec_name") if video else None,
        audio_codec=audio.get("codec_name") if audio else None,
        width=int(video["width"]) if video and "width" in video else None,
        height=int(video["height"]) if video and "height" in video else None,
        fps=_rate(video.get("avg_frame_rate")) if video else None,
    )


def keyframe_times(
    *, source: Path, timeout_s: float = 30.0, around_s: tuple[float, float] | None = None
) -> list[float]:
    """Presentation times of the video keyframes of a file (read without decoding); only
    those between ``around_s`` (from, to) when given, read from there on (seekable files)."""
    interval = []
    if around_s is not None:
        interval = ["-read_intervals", f"{max(0.0, around_s[0]):.3f}%{around_s[1]:.3f}"]
    data = _ffprobe(
        args=[
            "-select_streams", "v:0", *interval,
            "-show_entries", "packet=pts_time,flags", str(source),
        ],
        timeout_s=timeout_s,
        what="keyframes",
    )  # fmt: skip
    packets: list[dict[str, Any]] = data.get("packets", [])
    return [
        float(p["pts_time"])
        for p in packets
        if "K" in str(p.get("flags", "")) and p.get("pts_time") not in (None, "N/A")
    ]


def keyframe_near(*, source: Path, at_s: float, window_s: float = 4.0) -> float:
    """The keyframe nearest ``at_s`` (a stream-copy cut can only start on one), or
    ``at_s`` itself when none lies within ``window_s``."""
    times = keyframe_times(source=source, around_s=(at_s - window_s, at_s + window_s))
    near = [t for t in times if abs(t - at_s) <= window_s]
    return min(near, key=lambda t: abs(t - at_s)) if near else at_s


def sample_capture(*, source: str, target: Path, sample_s: float, timeout_s: float) -> Path:
    """Copy the first ``sample_s`` seconds of a file or live URL's video into ``target``.

    A live RTMP read never ends by itself (ffprobe's ``-read_intervals`` does not stop it),
    so the sample is cut by ffmpeg's ``-t`` and probed afterwards.
    """
    video = ffmpeg.input(source, **network_input_options(source))["v:0"]
    spec = ffmpeg.output(video, str(target), t=f"{sample_s:g}", c="copy", f="matroska")
    run_spec(spec=spec, timeout_s=timeout_s, what="keyframe sample")
    return target


@dataclass(frozen=True, kw_only=True)
class KeyframeReport:
    interval_s: float | None
    ok: bool
    message: str


def keyframe_interval_report(
    *, times: list[float], target_s: float = RECOMMENDED_KEYFRAME_S, tolerance_s: float = 0.5
) -> KeyframeReport:
    """Whether the keyframe interval is near ``target_s`` (OBS recommends 2 s)."""
    gaps = [b - a for a, b in itertools.pairwise(times) if b > a]
    if not gaps:
        return KeyframeReport(interval_s=None, ok=False, message="fewer than two keyframes seen")
    interval = statistics.median(gaps)
    ok = abs(interval - target_s) <= tolerance_s
    verdict = "ok" if ok else f"set the encoder's keyframe interval to {target_s:g} s"
    return KeyframeReport(
        interval_s=interval, ok=ok, message=f"keyframe every {interval:.2f} s: {verdict}"
    )


def keyframe_interval_check(
    *, source: str, sample_s: float = 8.0, timeout_s: float = 30.0
) -> KeyframeReport:
    """Sample ``source`` (a file or a live URL) and report on its keyframe interval."""
    with tempfile.TemporaryDirectory(prefix="keyframes-") as folder:
        sample = sample_capture(
            source=source,
            target=Path(folder) / "sample.mkv",
            sample_s=sample_s,
            timeout_s=timeout_s,
        )
        return keyframe_interval_report(times=keyframe_times(source=sample, timeout_s=timeout_s))
