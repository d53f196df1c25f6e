"""Run ffmpeg / ffprobe argument lists with a timeout, turning failures into typed errors."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Sequence
from typing import Any

import ffmpeg

from streaming.errors import FfmpegError, FfmpegTimeout

log = logging.getLogger(__name__)

STDERR_TAIL_CHARS = 2000


def stderr_tail(data: bytes | str | None) -> str:
    if data is None:
        return ""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text[-STDERR_TAIL_CHARS:].strip()


NETWORK_READ_TIMEOUT_S = 5.0


def network_input_options(source: str) -> dict[str, str]:
    """Input options that end a network read when the stream stops sending.

    An RTMP player is not disconnected when the publisher stops, and ffmpeg blocked in
    that read ignores a first SIGTERM; ``rw_timeout`` (microseconds) makes it give up.
    """
    if source.startswith(("rtmp://", "rtmps://", "http://", "https://")):
        return {"rw_timeout": str(int(NETWORK_READ_TIMEOUT_S * 1_000_000))}
    return {}


def compile_args(*, spec: Any, ffmpeg_bin: str = "ffmpeg") -> list[str]:
    """The argument list ffmpeg-python builds for an output node (first item: the binary)."""
    args: list[str] = [str(a) for a in ffmpeg.compile(spec, cmd=ffmpeg_bin)]
    return args


def run_args(*, args: Sequence[str], timeout_s: float, what: str) -> bytes:
    """Run one command; return stdout; raise ``FfmpegTimeout`` / ``FfmpegError`` on failure."""
    tool = args[0].rsplit("/", 1)[-1]
    log.debug("running %s (%s)", tool, what)
    try:
        done = subprocess.run(list(args), capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FfmpegTimeout(
            tool=tool, timeout_s=timeout_s, stderr_tail=stderr_tail(exc.stderr), what=what
        ) from exc
    except OSError as exc:
        raise FfmpegError(tool=tool, returncode=127, stderr_tail=str(exc), what=what) from exc
    if done.returncode != 0:
        raise FfmpegError(
            tool=tool, returncode=done.returncode, stderr_tail=stderr_tail(done.stderr), what=what
        )
    return done.stdout


def run_spec(*, spec: Any, timeout_s: float, what: str, ffmpeg_bin: str = "ffmpeg") -> None:
    """Compile an ffmpeg-python output node (overwriting outputs) and run it."""
    args = compile_args(spec=spec.overwrite_output(), ffmpeg_bin=ffmpeg_bin)
    args[1:1] = ["-hide_banner", "-nostdin", "-loglevel", "error"]
    run_args(args=args, timeout_s=timeout_s, what=what)
