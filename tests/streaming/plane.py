"""The media-plane harness: real nginx (RTMP module) and real ffmpeg in temp folders.

Every nginx, pusher and ladder process started here is stopped in a ``finally``; the
teardown then asserts that no process still names the temp folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from streaming.callback_server import CallbackServer
from streaming.callbacks import Accept, CallbackEvent, PublishDecision, PublishRequest, Refuse
from streaming.nginx_proc import NginxProcess, nginx_start, processes_kill_using
from streaming.settings import Ladder, MediaSettings
from streaming.testpattern import pattern_push_start
from tests.harness import free_port

E = TypeVar("E")


def stream_key() -> str:
    """A key that cannot occur by chance in any file or page."""
    return "sk" + secrets.token_hex(12)


def wait_for(check: Callable[[], bool], *, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def processes_naming(path: Path) -> list[int]:
    """The processes whose command line names ``path`` (the ladder names its HLS folder)."""
    needle = str(path).encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def process_lines(needle: str) -> list[str]:
    """Command lines of running processes that carry ``needle`` (a key must be in none)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if needle.encode() in line:
            found.append(line.replace(b"\0", b" ").decode(errors="replace"))
    return found


def key_leaks(*, root: Path, key: str) -> list[str]:
    """Every file under ``root`` whose name or content carries ``key``."""
    needle = key.encode()
    leaks = []
    for path in root.rglob("*"):
        if key in str(path.relative_to(root)):
            leaks.append(f"name: {path}")
        elif path.is_file() and needle in path.read_bytes():
            leaks.append(f"content: {path}")
    return leaks


@dataclass
class Plane:
    """One running media plane: callback server, nginx, and what the callbacks saw."""

    root: Path
    settings: MediaSettings
    nginx: NginxProcess
    keys: dict[str, str]
    events: list[CallbackEvent] = field(default_factory=list)
    pushers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def decide(self, request: PublishRequest) -> PublishDecision:
        public_id = self.keys.get(request.stream_key)
        return Accept(public_id=public_id) if public_id else Refuse(reason="unknown key")

    def push(self, *, key: str, seconds: float, gop_s: float = 2.0) -> subprocess.Popen[bytes]:
        popen = pattern_push_start(
            url=f"{self.settings.ingest_url}/{key}", seconds=seconds, gop_s=gop_s
        )
        self.pushers.append(popen)
        return popen

    def wait_event(self, kind: type[E], *, timeout_s: float = 10.0) -> E:
        wait_for(
            lambda: any(isinstance(e, kind) for e in self.events),
            timeout_s=timeout_s,
            what=kind.__name__,
        )
        return next(e for e in self.events if isinstance(e, kind))


def _kill(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is None:
        popen.kill()
    popen.wait(timeout=10)


@contextlib.contextmanager
def running_plane(
    *, keys: dict[str, str], ladder: bool = True, record: bool = True
) -> Iterator[Plane]:
    root = Path(tempfile.mkdtemp(prefix="streaming-test-"))
    os.chmod(root, 0o755)  # nginx's workers run as nobody and must reach the media folders
    holder: list[Plane] = []
    server = CallbackServer(
        decide=lambda r: holder[0].decide(r), notify=lambda e: holder[0].events.append(e)
    )
    nginx: NginxProcess | None = None
    try:
        settings = MediaSettings(
            prefix=root / "nginx",
            hls_dir=root / "hls",
            record_dir=root / "record",
            rtmp_port=free_port(),
            http_port=free_port(),
            callback_base_url=server.base_url,
            callback_secret=secrets.token_hex(16),
            record=record,
            ladder=Ladder(enabled=ladder),
        )
        server.start(settings=settings)
        nginx = nginx_start(settings=settings)
        holder.append(Plane(root=root, settings=settings, nginx=nginx, keys=keys))
        yield holder[0]
    finally:
        for popen in holder[0].pushers if holder else []:
            _kill(popen)
        if nginx is not None:
            nginx.stop()
        server.stop()
        leftovers = processes_kill_using(path=root)
        shutil.rmtree(root, ignore_errors=True)
        assert leftovers == [], f"processes outlived the plane: {leftovers}"
