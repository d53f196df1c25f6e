"""The settings object every piece of the media plane is rendered from."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PUBLIC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def default_worker_user() -> str | None:
    """nginx started as root runs its workers as ``nobody``; say so explicitly."""
    return "nobody" if os.geteuid() == 0 else None


@dataclass(frozen=True, kw_only=True)
class Ladder:
    """The live ladder: the source passed through plus one scaled rendition."""

    enabled: bool = True
    rendition_height: int = 480
    rendition_name: str = "480p"
    video_bitrate_k: int = 900
    audio_bitrate_k: int = 96
    preset: str = "veryfast"
    hls_time_s: int = 2
    hls_list_size: int = 6


@dataclass(frozen=True, kw_only=True)
class MediaSettings:
    """Ports, folders, callback wiring and HLS/record options for one nginx instance.

    ``callback_base_url`` is the backend's prefix; nginx calls ``<base>/on_publish``,
    ``<base>/on_publish_done`` and ``<base>/on_record_done`` with ``?token=<secret>``.
    """

    prefix: Path
    hls_dir: Path
    record_dir: Path
    rtmp_port: int
    http_port: int
    callback_base_url: str
    callback_secret: str = field(repr=False)
    host: str = "127.0.0.1"
    ingest_app: str = "live"
    show_app: str = "show"
    hls_fragment_s: int = 2
    hls_playlist_s: int = 12
    record: bool = True
    ladder: Ladder = field(default_factory=Ladder)
    worker_user: str | None = field(default_factory=default_worker_user)
    ffmpeg_bin: str = "ffmpeg"
    drop_idle_publisher_s: int = 10
    # When set, HLS is served only under signed, expiring paths (streaming.secure_hls).
    hls_secret: str | None = field(default=None, repr=False)

    @property
    def ingest_url(self) -> str:
        """The URL an encoder (OBS) publishes to; the stream key goes in the name field."""
        return f"rtmp://{self.host}:{self.rtmp_port}/{self.ingest_app}"

    @property
    def internal_host(self) -> str:
        """The address nginx's own relays and the ladder use to reach this nginx."""
        wildcard = self.host in ("0.0.0.0", "")  # noqa: S104 (compared, not bound)
        return "127.0.0.1" if wildcard else self.host

    def show_url(self, *, public_id: str) -> str:
        """The internal URL of a relayed stream (what the ladder and restreams read)."""
        return f"rtmp://{self.internal_host}:{self.rtmp_port}/{self.show_app}/{public_id}"

    def hls_url(self, *, public_id: str) -> str:
        """Where viewers fetch the stream's playlist over HTTP."""
        name = "master.m3u8" if self.ladder.enabled else "index.m3u8"
        return f"http://{self.internal_host}:{self.http_port}/hls/{public_id}/{name}"

    @property
    def stat_url(self) -> str:
        return f"http://{self.internal_host}:{self.http_port}/stat"

    def callback_url(self, *, event: str) -> str:
        return f"{self.callback_base_url.rstrip('/')}/{event}?token={self.callback_secret}"
