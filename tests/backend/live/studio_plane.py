"""The real media plane wired to the backend: nginx-rtmp (rendered from this deployment's
settings by backend.live.media) calls the hooks on pytest-django's live server; ffmpeg
pushes a test pattern. Everything started here stops in a ``finally``."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from backend.live.media import media_settings
from streaming.nginx_proc import NginxProcess, nginx_start, processes_kill_using
from streaming.settings import MediaSettings
from streaming.testpattern import pattern_push_start
from tests.harness import free_port
from tests.streaming.plane import processes_naming, wait_for

__all__ = ["StudioPlane", "studio_plane", "wait_for"]


@dataclass
class StudioPlane:
    root: Path
    media: MediaSettings
    nginx: NginxProcess
    pushers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def push(self, *, key: str, seconds: float, gop_s: float = 2.0) -> subprocess.Popen[bytes]:
        url = f"{self.media.ingest_url}/{key}"
        popen = pattern_push_start(url=url, seconds=seconds, gop_s=gop_s)
        self.pushers.append(popen)
        return popen

    def segments(self, public_id: str) -> list[str]:
        return sorted(p.name for p in (self.media.hls_dir / public_id).glob("*.ts"))

    def hls_ready(self, public_id: str, count: int = 2) -> bool:
        playlist = self.media.hls_dir / public_id / "index.m3u8"
        return playlist.exists() and len(self.segments(public_id)) >= count

    def stat_xml(self) -> str:
        return requests.get(self.media.stat_url, timeout=5).text


def _kill(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is None:
        popen.kill()
    popen.wait(timeout=10)


@contextlib.contextmanager
def studio_plane(*, settings: Any, live_server_url: str) -> Iterator[StudioPlane]:
    """Point this deployment's streaming settings at a temp nginx and start it."""
    root = Path(tempfile.mkdtemp(prefix="live-test-"))
    os.chmod(root, 0o755)  # nginx's workers run as nobody and must reach the media folders
    base = live_server_url.replace("localhost", "127.0.0.1")
    settings.STREAMING_DIR = root
    settings.STREAMING_RTMP_PORT = free_port()
    settings.STREAMING_HTTP_PORT = free_port()
    settings.STREAMING_HLS_BASE_URL = f"http://127.0.0.1:{settings.STREAMING_HTTP_PORT}/hls"
    settings.STREAMING_CALLBACK_URL = f"{base}/api/v1/live/rtmp"
    settings.STREAMING_CALLBACK_SECRET = secrets.token_hex(16)
    settings.STREAMING_HLS_SECRET = secrets.token_hex(16)
    settings.STREAMING_LADDER = False  # one rendition: the ladder is streaming/'s own test
    nginx: NginxProcess | None = None
    plane: StudioPlane | None = None
    try:
        nginx = nginx_start(settings=media_settings())
        plane = StudioPlane(root=root, media=media_settings(), nginx=nginx)
        yield plane
    finally:
        for popen in plane.pushers if plane else []:
            _kill(popen)
        if nginx is not None:
            nginx.stop()
        # The session worker may still be cutting the replay from this plane's recording (an
        # ffmpeg naming the folder, not nginx's): let it finish before calling it a leftover.
        with contextlib.suppress(AssertionError):
            wait_for(lambda: not processes_naming(root), timeout_s=30, what="media jobs to end")
        leftovers = processes_kill_using(path=root)
        shutil.rmtree(root, ignore_errors=True)
        assert leftovers == [], f"processes outlived the plane: {leftovers}"
