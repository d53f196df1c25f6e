"""A test pattern (testsrc2 + sine) for trying the media plane, the tests and the benchmark."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import ffmpeg

from streaming.ffrun import compile_args, run_spec


def _pattern(*, seconds: float, size: str, fps: int) -> tuple[Any, Any]:
    video = ffmpeg.input(f"testsrc2=size={size}:rate={fps}", f="lavfi", t=seconds)
    audio = ffmpeg.input("sine=frequency=440:sample_rate=44100", f="lavfi", t=seconds)
    return video, audio


def _encode_options(*, fps: int, gop_s: float) -> dict[str, str | int]:
    gop = max(1, round(fps * gop_s))
    return {
        "c:v": "libx264",
        "preset": "ultrafast",
        "tune": "zerolatency",
        "pix_fmt": "yuv420p",
        "g": gop,
        "keyint_min": gop,
        "sc_threshold": 0,
        "c:a": "aac",
        "b:a": "96k",
    }


def pattern_push_args(
    *, url: str, seconds: float, size: str = "640x360", fps: int = 30, gop_s: float = 2.0
) -> list[str]:
    """ffmpeg arguments that push the pattern in real time (``-re``) to an RTMP URL."""
    video, audio = _pattern(seconds=seconds, size=size, fps=fps)
    spec = ffmpeg.output(video, audio, url, f="flv", **_encode_options(fps=fps, gop_s=gop_s))
    args = compile_args(spec=spec)
    args[1:1] = ["-hide_banner", "-nostdin", "-loglevel", "error", "-re"]
    return args


def pattern_push_start(*, url: str, seconds: float, gop_s: float = 2.0) -> subprocess.Popen[bytes]:
    """Start pushing; the caller waits for it (and kills it if it must)."""
    return subprocess.Popen(
        pattern_push_args(url=url, seconds=seconds, gop_s=gop_s),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def pattern_file_write(
    *, path: Path, seconds: float, size: str = "640x360", fps: int = 30, gop_s: float = 2.0
) -> Path:
    """Write the pattern to a file (FLV or MP4 by extension) as fast as ffmpeg can."""
    video, audio = _pattern(seconds=seconds, size=size, fps=fps)
    spec = ffmpeg.output(video, audio, str(path), **_encode_options(fps=fps, gop_s=gop_s))
    run_spec(spec=spec, timeout_s=60 + seconds * 2, what="test pattern")
    return path
