"""Shapes of the replay, its clips, restream targets and the office's storage report."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from backend.common.timefmt import Timestamp


class ChapterOut(Schema):
    product_id: int
    title: str
    start_s: float
    end_s: float
    clip_url: str | None


class ReplayOut(Schema):
    """What a viewer may see of a session's replay (the watch page's contract)."""

    state: Literal["none", "processing", "ready", "failed"]
    video_url: str | None
    cover_url: str | None
    duration_s: float | None
    chapters: list[ChapterOut]


class ClipOut(Schema):
    """A product clip as the console shows it; `error` (ffmpeg's stderr tail) for staff."""

    id: int
    product_id: int
    title: str
    state: Literal["pending", "processing", "ready", "failed"]
    start_s: float
    end_s: float
    duration_s: float | None
    video_url: str | None
    attempts: int
    error: str


class RestreamIn(Schema):
    platform: Literal["douyin", "channels", "kuaishou", "custom"]
    label: str = Field("", max_length=60)
    server_url: str = Field(..., max_length=300, description="rtmp://host[:port]/app")
    stream_key: str = Field(..., min_length=1, max_length=500, description="the platform's key")


class RestreamPatchIn(Schema):
    enabled: bool


class RestreamOut(Schema):
    """A target and its health; the key is never in an answer."""

    id: int
    platform: str
    label: str
    server_url: str
    enabled: bool
    status: Literal["idle", "connecting", "connected", "retrying"]
    bitrate_kbps: int
    last_error: str
    failures: int
    connected_since: Timestamp | None
    health_at: Timestamp | None


class MonthUsageOut(Schema):
    month: str
    recordings: int
    recording_bytes: int
    replay_bytes: int
    clip_bytes: int
    total_bytes: int


class StorageReportOut(Schema):
    retention_days: int
    months: list[MonthUsageOut]
    oldest_at: Timestamp | None
    oldest_session_id: int | None
    total_bytes: int
