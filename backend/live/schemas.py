from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from backend.common.money import Money
from backend.common.timefmt import Timestamp


class SessionIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    scheduled_start: Timestamp
    description: str = Field("", max_length=2000)
    cover_url: str = Field("", max_length=500)
    organisation_id: int | None = None


class SessionPatchIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=120)
    scheduled_start: Timestamp | None = None
    description: str | None = Field(None, max_length=2000)
    cover_url: str | None = Field(None, max_length=500)


class ReasonIn(Schema):
    reason: str = Field("", max_length=200)


class MoveOut(Schema):
    from_state: str
    to_state: str
    by_id: int | None
    note: str
    at: Timestamp


class SessionOut(Schema):
    id: int
    title: str
    description: str
    cover_url: str
    scheduled_start: Timestamp
    state: str
    public_id: str
    streamer_id: int
    streamer_name: str
    organisation_id: int | None
    publishing: bool
    started_at: Timestamp | None
    ended_at: Timestamp | None
    is_owner: bool
    can_control: bool
    streamer_verified: bool
    timeline: list[MoveOut]


class SessionListItem(Schema):
    id: int
    title: str
    scheduled_start: Timestamp
    state: str
    streamer_id: int
    streamer_name: str
    publishing: bool


class EncoderSettingsOut(Schema):
    keyframe_interval_s: int
    video_bitrate_kbps: int
    audio_bitrate_kbps: int
    resolution: str
    fps: int
    encoder: str
    rate_control: str


class StreamKeyOut(Schema):
    rtmp_url: str = Field(..., description="OBS: Server")
    stream_key: str = Field(..., description="OBS: Stream key")
    full_url: str = Field(..., description="For phone encoders (the QR code): URL/key")
    obs: EncoderSettingsOut


class KeyAuditOut(Schema):
    user_id: int
    action: str
    addr: str
    at: Timestamp


class PlaybackOut(Schema):
    state: str
    url: str
    expires: int


class AssistantIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


class AssistantOut(Schema):
    user_id: int
    username: str
    display_name: str


class ProfileIn(Schema):
    real_name: str = Field(..., min_length=2, max_length=64)
    id_number: str = Field(..., pattern=r"^\d{17}[\dXx]$")


class ProfileOut(Schema):
    user_id: int
    real_name: str
    id_number_masked: str
    verified: bool
    verified_at: Timestamp | None


class LineupIn(Schema):
    sku_id: int
    live_price: Money
    position: int = Field(0, ge=0, le=10000)


class CardIn(Schema):
    state: str = Field(..., pattern=r"^(hidden|listed|sold_out)$")


class LineupOut(Schema):
    id: int
    sku_id: int
    product_id: int
    title: str
    live_price: Money
    position: int
    state: str


class ExplanationOut(Schema):
    id: int
    item_id: int
    product_id: int
    started_at: Timestamp
    ended_at: Timestamp | None


class HealthWarningSchema(Schema):
    code: str
    message: str


class HealthOut(Schema):
    session_id: int
    at: str | None
    publishing: bool
    bitrate_kbps: int
    fps: float | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    uptime_s: int
    keyframe_interval_s: float | None
    warnings: list[HealthWarningSchema]


class MinuteOut(Schema):
    minute: str
    viewers: int
    peak: int
    likes: int
    comments: int
    orders: int
    gmv: str
    conversion: str


class SessionReportOut(Schema):
    session_id: int
    unique_viewers: int
    peak_viewers: int
    likes: int
    watch_s: int
    comments: int
    orders: int
    gmv: str
    conversion: str
    minutes: list[MinuteOut]


class CommentOut(Schema):
    id: int
    user_id: int
    name: str
    text: str
    at: str


class CommentReportOut(Schema):
    id: int
    comment: CommentOut
    reporter_id: int
    reason: str
    at: str


class BannedWordIn(Schema):
    word: str = Field(min_length=1, max_length=32)
    action: Literal["mask", "hide"] = "mask"


class BannedWordOut(Schema):
    id: int
    word: str
    action: str
