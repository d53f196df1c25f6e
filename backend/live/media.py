"""The media plane as this deployment configures it: `streaming.MediaSettings` built from
Django settings, for the hook views, the studio panel, health polling and `live_nginx`."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

from streaming import Ladder, MediaSettings
from streaming.secure_hls import hls_signed_path


# What the go-live panel recommends for OBS and phone encoders (OBS's own advice: a
# keyframe every 2 s; 720p at about 2.5 Mb/s suits a county uplink).
@dataclass(frozen=True)
class EncoderSettings:
    keyframe_interval_s: int = 2
    video_bitrate_kbps: int = 2500
    audio_bitrate_kbps: int = 128
    resolution: str = "1280x720"
    fps: int = 30
    encoder: str = "x264"
    rate_control: str = "CBR"


OBS_SETTINGS = EncoderSettings()


def media_settings() -> MediaSettings:
    root = settings.STREAMING_DIR
    return MediaSettings(
        prefix=root / "nginx",
        hls_dir=root / "hls",
        record_dir=root / "record",
        rtmp_port=settings.STREAMING_RTMP_PORT,
        http_port=settings.STREAMING_HTTP_PORT,
        host=settings.STREAMING_HOST,
        callback_base_url=settings.STREAMING_CALLBACK_URL,
        callback_secret=settings.STREAMING_CALLBACK_SECRET,
        hls_secret=settings.STREAMING_HLS_SECRET,
        ladder=Ladder(enabled=settings.STREAMING_LADDER),
    )


def ingest_url() -> str:
    """The RTMP URL encoders publish to (the key goes in OBS's "stream key" field)."""
    return f"rtmp://{settings.STREAMING_PUBLIC_HOST}:{settings.STREAMING_RTMP_PORT}/live"


@dataclass(frozen=True)
class Playback:
    url: str
    expires: int


def playback_url(*, public_id: str) -> Playback:
    """A signed, expiring URL of the session's master playlist."""
    expires = int(time.time()) + settings.LIVE_PLAYBACK_TTL_SECONDS
    path = hls_signed_path(
        public_id=public_id, expires=expires, secret=settings.STREAMING_HLS_SECRET
    )
    name = "master.m3u8" if settings.STREAMING_LADDER else "index.m3u8"
    return Playback(
        url=f"{settings.STREAMING_HLS_BASE_URL.rstrip('/')}/{path}/{name}", expires=expires
    )
