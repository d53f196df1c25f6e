"""Everything live sends to sockets leaves here, after commit: to the console through the
channel layer (common.realtime.broadcast), to the room through its feed (room_state), which
each daphne process's hub reads once per tick and fans out in memory (hub.py): one Redis
write per frame, never a copy per viewer.

Message types and payloads (docs/live-studio-socket.md):
  live.state   {session_id, state, publishing, started_at, ended_at}   studio and room
  live.card    {session_id, item_id, sku_id, product_id, state, live_price, position}
  live.explain {session_id, item_id, product_id, started_at, ended_at}   studio and room
  studio.health {session_id, figures..., warnings: [{code, message}]}    studio only
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from backend.common.realtime import broadcast
from backend.common.timefmt import iso_local
from backend.live import groups, room_state
from backend.live.models import Explanation, LineupItem, LiveSession


def _iso(value: datetime | None) -> str | None:
    return iso_local(value) if value is not None else None


def room_broadcast(session_id: int, event_type: str, payload: dict[str, Any]) -> None:
    """Send a frame to every viewer of the room once the transaction commits."""
    transaction.on_commit(lambda: room_state.feed_add(session_id, event_type, payload))


def session_state_broadcast(*, session: LiveSession) -> None:
    payload = {
        "session_id": session.pk,
        "state": session.state,
        "publishing": session.publishing,
        "started_at": _iso(session.started_at),
        "ended_at": _iso(session.ended_at),
    }
    broadcast(groups.studio(session.pk), "live.state", payload)
    room_broadcast(session.pk, "live.state", payload)


def card_payload(item: LineupItem) -> dict[str, Any]:
    return {
        "session_id": item.session_id,
        "item_id": item.pk,
        "sku_id": item.sku_id,
        "product_id": item.sku.product_id,
        "state": item.state,
        "live_price": f"{item.live_price:.2f}",
        "position": item.position,
    }


def card_broadcast(*, item: LineupItem) -> None:
    """A card changed: the console and the room see the same payload."""
    payload = card_payload(item)
    broadcast(groups.studio(item.session_id), "live.card", payload)
    if item.state != LineupItem.State.HIDDEN:
        room_broadcast(item.session_id, "live.card", payload)


def explain_broadcast(*, explanation: Explanation) -> None:
    payload = {
        "session_id": explanation.session_id,
        "item_id": explanation.item_id,
        "product_id": explanation.item.sku.product_id,
        "started_at": _iso(explanation.started_at),
        "ended_at": _iso(explanation.ended_at),
    }
    broadcast(groups.studio(explanation.session_id), "live.explain", payload)
    room_broadcast(explanation.session_id, "live.explain", payload)


def health_broadcast(*, session_id: int, payload: dict[str, Any]) -> None:
    broadcast(groups.studio(session_id), "studio.health", payload)
