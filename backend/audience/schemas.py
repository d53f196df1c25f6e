"""Shapes of the audience API."""

from __future__ import annotations

from ninja import Schema

from backend.common.money import Money
from backend.common.timefmt import Timestamp


class BagItemOut(Schema):
    item_id: int
    product_id: int
    sku_id: int
    title: str
    spec: str
    live_price: Money
    state: str  # listed | explaining | sold_out
    position: int
    thumb_url: str | None


class ChannelItemOut(Schema):
    id: int
    title: str
    state: str
    cover_url: str
    scheduled_start: Timestamp
    started_at: Timestamp | None
    ended_at: Timestamp | None
    streamer_id: int
    streamer_name: str


class StreamerOut(Schema):
    id: int
    name: str
    followers: int


class ChannelOut(Schema):
    live: list[ChannelItemOut]
    coming: list[ChannelItemOut]
    replays: list[ChannelItemOut]
    streamers: list[StreamerOut]


class WatchOut(ChannelItemOut):
    description: str
    followers: int
    subscribers: int
    following: bool
    follow_sms: bool
    subscribed: bool
    watch_url: str
    share_url: str
    poster_url: str
    bag: list[BagItemOut]


class FollowIn(Schema):
    session_id: int | None = None
    sms: bool = False


class FollowOut(Schema):
    streamer_id: int
    following: bool
    sms: bool
    followers: int


class ReminderOut(Schema):
    session_id: int
    subscribed: bool
    subscribers: int


class FiguresOut(Schema):
    session_id: int
    subscribers: int
    followers: int
    new_followers: int


class NoticeOut(Schema):
    id: int
    kind: str
    session_id: int
    text: str
    created_at: Timestamp
    read: bool
