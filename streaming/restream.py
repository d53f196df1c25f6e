"""Push a live stream on to other platforms' RTMP URLs, one ffmpeg per target.

Targets start and stop independently; a failing target is reported in its own status and
leaves the others running. A target's stream key never reaches a log, a repr, a status or
a command line: ffmpeg reads it as the RTMP play path from a preset (``-fpre``) handed over
through an inherited pipe (``/dev/fd/N``), so ``ps`` and ``/proc/<pid>/cmdline`` show only
the server URL, and no file holds it. stderr is kept in memory with the key masked.

Each ffmpeg reports its progress on stdout (``-progress``): bytes sent and the bitrate.
It is bound to the thread that started it (``PR_SET_PDEATHSIG``): if the supervising
process dies, so do its pushes, and the next supervisor starts them afresh.
"""

from __future__ import annotations

import collections
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import urlsplit

from streaming.errors import RestreamError
from streaming.ffrun import NETWORK_READ_TIMEOUT_S

log = logging.getLogger(__name__)

TAIL_LINES = 20


CONNECTED_WITHIN_S = 5.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, kw_only=True)
class RestreamTarget:
    """A platform's server URL (``rtmp://host/app``, as the platforms show it) and the
    stream key it issued (``推流码``), kept apart as OBS keeps them."""

    name: str
    server_url: str
    stream_key: str = field(repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.server_url)
        if parts.scheme not in ("rtmp", "rtmps") or not parts.hostname:
            raise RestreamError(f"target {self.name!r}: only rtmp:// and rtmps:// URLs")
        if not self.stream_key or any(c in self.stream_key for c in "\r\n"):
            raise RestreamError(f"target {self.name!r}: a stream key is one line")

    @property
    def redacted_url(self) -> str:
        parts = urlsplit(self.server_url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or 1935}/***"

    def redact(self, text: str) -> str:
        return text.replace(self.stream_key, "***")


@dataclass(frozen=True, kw_only=True)
class TargetStatus:
    name: str
    running: bool
    returncode: int | None
    stderr_tail: str
    bytes_sent: int = 0
    bitrate_kbps: int = 0
    connected: bool = False


@dataclass
class _Progress:
    """What ffmpeg's ``-progress`` last said (written by the reader thread)."""

    bytes_sent: int = 0
    bitrate_kbps: int = 0
    moved_at: float = 0.0  # monotonic time the byte count last grew


@dataclass
class _Push:
    target: RestreamTarget
    popen: subprocess.Popen[bytes]
    tail: collections.deque[str]
    progress: _Progress
    readers: list[threading.Thread]


def _read_stderr(stream: IO[bytes], tail: collections.deque[str], target: RestreamTarget) -> None:
    for raw in stream:
        tail.append(target.redact(raw.decode("utf-8", "replace").rstrip()))


def _read_progress(stream: IO[bytes], progress: _Progress) -> None:
    for raw in stream:
        name, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if name == "total_size" and value.isdigit() and int(value) > progress.bytes_sent:
            progress.bytes_sent = int(value)
            progress.moved_at = time.monotonic()
        elif name == "bitrate" and value.endswith("kbits/s"):
            try:
                progress.bitrate_kbps = round(float(value.removesuffix("kbits/s")))
            except ValueError:
                progress.bitrate_kbps = 0


def die_with_parent() -> None:
    """In the child before exec: SIGKILL when the thread that started it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _key_pipe(target: RestreamTarget) -> int:
    """A pipe whose read end ffmpeg inherits; it holds the preset with the key, and
    nothing else ever does (the write end is closed before ffmpeg starts)."""
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "wb") as writer:
        writer.write(f"rtmp_playpath={target.stream_key}\n".encode())
    return read_fd


class Restreamer:
    """Relays one local stream (``source_url``) to any number of named targets."""

    def __init__(self, *, source_url: str, ffmpeg_bin: str = "ffmpeg") -> None:
        self.source_url = source_url
        self.ffmpeg_bin = shutil.which(ffmpeg_bin) or ffmpeg_bin
        self._pushes: dict[str, _Push] = {}
        self._lock = threading.Lock()

    def _args(self, target: RestreamTarget, key_fd: int) -> list[str]:
        return [
            self.ffmpeg_bin, "-hide_banner", "-nostdin", "-loglevel", "error",
            "-progress", "pipe:1", "-stats_period", "1",
            "-rw_timeout", str(int(NETWORK_READ_TIMEOUT_S * 1_000_000)),
            "-i", self.source_url, "-c", "copy", "-f", "flv",
            "-fpre", f"/dev/fd/{key_fd}", target.server_url,
        ]  # fmt: skip

    def _spawn(self, target: RestreamTarget) -> subprocess.Popen[bytes]:
        key_fd = _key_pipe(target)
        try:
            return subprocess.Popen(
                self._args(target, key_fd),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(key_fd,),
                preexec_fn=die_with_parent,  # one prctl: safe between fork and exec
            )
        finally:
            os.close(key_fd)

    def start(self, *, target: RestreamTarget) -> None:
        with self._lock:
            current = self._pushes.get(target.name)
            if current is not None and current.popen.poll() is None:
                raise RestreamError(f"target {target.name!r} is already running")
            popen = self._spawn(target)
            tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
            progress = _Progress()
            assert popen.stderr is not None and popen.stdout is not None
            readers = [
                threading.Thread(target=_read_stderr, args=(popen.stderr, tail, target)),
                threading.Thread(target=_read_progress, args=(popen.stdout, progress)),
            ]
            for reader in readers:
                reader.daemon = True
                reader.start()
            self._pushes[target.name] = _Push(
                target=target, popen=popen, tail=tail, progress=progress, readers=readers
            )
        log.info("restream %s started to %s", target.name, target.redacted_url)

    def stop(self, *, name: str, timeout_s: float = 5.0) -> TargetStatus:
        with self._lock:
            push = self._pushes.pop(name, None)
        if push is None:
            raise RestreamError(f"no target named {name!r}")
        if push.popen.poll() is None:
            push.popen.terminate()
            try:
                push.popen.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                push.popen.kill()
                push.popen.wait(timeout=timeout_s)
        for reader in push.readers:
            reader.join(timeout=timeout_s)
        log.info("restream %s stopped", name)
        return _status(push)

    def stop_all(self) -> None:
        for name in list(self._pushes):
            self.stop(name=name)

    def status(self) -> dict[str, TargetStatus]:
        with self._lock:
            return {name: _status(push) for name, push in self._pushes.items()}


def _status(push: _Push) -> TargetStatus:
    code = push.popen.poll()
    moved = push.progress.moved_at
    connected = code is None and moved > 0 and time.monotonic() - moved < CONNECTED_WITHIN_S
    return TargetStatus(
        name=push.target.name,
        running=code is None,
        returncode=code,
        stderr_tail="\n".join(push.tail),
        bytes_sent=push.progress.bytes_sent,
        bitrate_kbps=push.progress.bitrate_kbps if connected else 0,
        connected=connected,
    )
