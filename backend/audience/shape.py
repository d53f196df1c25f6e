"""Sessions shaped for viewers (the channel, the watch page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from backend.accounts.models import User
from backend.audience.notify import watch_url
from backend.audience.schemas import BagItemOut, ChannelItemOut, WatchOut
from backend.audience.selectors import (
    bag_of,
    bag_thumb,
    followers_count,
    subscribers_count,
    viewer_marks,
)
from backend.live.models import LineupItem, LiveSession

BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def short_code(session_id: int) -> str:
    code, n = "", session_id
    while True:
        n, digit = divmod(n, 36)
        code = BASE36[digit] + code
        if not n:
            return code


def share_url(session_id: int) -> str:
    return f"{settings.SITE_URL}/s/{short_code(session_id)}"


def channel_item(session: LiveSession) -> ChannelItemOut:
    return ChannelItemOut(**_card(session))


def _card(session: LiveSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "state": session.state,
        "cover_url": session.cover_url,
        "scheduled_start": session.scheduled_start,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "streamer_id": session.streamer_id,
        "streamer_name": str(session.streamer),
    }


def bag_item(item: LineupItem) -> BagItemOut:
    return BagItemOut(
        item_id=item.pk,
        product_id=item.sku.product_id,
        sku_id=item.sku_id,
        title=item.sku.product.title,
        spec=item.sku.spec_text,
        live_price=item.live_price,
        state=item.state,
        position=item.position,
        thumb_url=bag_thumb(item),
    )


def watch_out(*, session: LiveSession, user: User | None) -> WatchOut:
    following, subscribed, sms = viewer_marks(user=user, session=session)
    return WatchOut(
        **_card(session),
        description=session.description,
        followers=followers_count(streamer_ids=[session.streamer_id]).get(session.streamer_id, 0),
        subscribers=subscribers_count(session_id=session.pk),
        following=following,
        follow_sms=sms,
        subscribed=subscribed,
        watch_url=watch_url(session.pk),
        share_url=share_url(session.pk),
        poster_url=f"/api/v1/audience/sessions/{session.pk}/poster.png",
        bag=[bag_item(i) for i in bag_of(session=session)],
    )
