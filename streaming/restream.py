"""Push a live stream on to other platforms' RTMP URLs, one ffmpeg per target.

Targets start and stop independently; a failing target is reported in its own status and
leaves the others running. A target's URL carries that platform's stream key, so the URL
never reaches a log, a repr or a status: stderr is kept in memory with the URL masked.
"""

from __future__ import annotations

import collections
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import urlsplit

from streaming.errors import RestreamError
from streaming.ffrun import NETWORK_READ_TIMEOUT_S

log = logging.getLogger(__name__)

TAIL_LINES = 20


@dataclass(frozen=True, kw_only=True)
class RestreamTarget:
    name: str
    url: str = field(repr=False)

    def __post_init__(self) -> None:
        if urlsplit(self.url).scheme not in ("rtmp", "rtmps"):
            raise RestreamError(f"target {self.name!r}: only rtmp:// and rtmps:// URLs")

    @property
    def redacted_url(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or 1935}/***"

    def redact(self, text: str) -> str:
        secret = urlsplit(self.url).path.rsplit("/", 1)[-1]
        text = text.replace(self.url, self.redacted_url)
        return text.replace(secret, "***") if secret else text


@dataclass(frozen=True, kw_only=True)
class TargetStatus:
    name: str
    running: bool
    returncode: int | None
    stderr_tail: str


@dataclass
class _Push:
    target: RestreamTarget
    popen: subprocess.Popen[bytes]
    tail: collections.deque[str]
    reader: threading.Thread


def _read_stderr(stream: IO[bytes], tail: collections.deque[str], target: RestreamTarget) -> None:
    for raw in stream:
        tail.append(target.redact(raw.decode("utf-8", "replace").rstrip()))


class Restreamer:
    """Relays one local stream (``source_url``) to any number of named targets."""

    def __init__(self, *, source_url: str, ffmpeg_bin: str = "ffmpeg") -> None:
        self.source_url = source_url
        self.ffmpeg_bin = shutil.which(ffmpeg_bin) or ffmpeg_bin
        self._pushes: dict[str, _Push] = {}
        self._lock = threading.Lock()

    def _args(self, target: RestreamTarget) -> list[str]:
        return [
            self.ffmpeg_bin, "-hide_banner", "-nostdin", "-loglevel", "error",
            "-rw_timeout", str(int(NETWORK_READ_TIMEOUT_S * 1_000_000)),
            "-i", self.source_url, "-c", "copy", "-f", "flv", target.url,
        ]  # fmt: skip

    def start(self, *, target: RestreamTarget) -> None:
        with self._lock:
            current = self._pushes.get(target.name)
            if current is not None and current.popen.poll() is None:
                raise RestreamError(f"target {target.name!r} is already running")
            popen = subprocess.Popen(
                self._args(target), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
            assert popen.stderr is not None
            reader = threading.Thread(
                target=_read_stderr, args=(popen.stderr, tail, target), daemon=True
            )
            reader.start()
            self._pushes[target.name] = _Push(target=target, popen=popen, tail=tail, reader=reader)
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
        push.reader.join(timeout=timeout_s)
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
    return TargetStatus(
        name=push.target.name,
        running=code is None,
        returncode=code,
        stderr_tail="\n".join(push.tail),
    )
