"""Everything live sends to sockets leaves here, after commit (common.realtime.broadcast).

Message types and payloads (docs/live-studio-socket.md):
  live.state   {session_id, state, publishing, started_at, ended_at}   studio and room
  live.card    {session_id, item_id, sku_id, product_id, state, live_price, position}
  live.explain {session_id, item_id, product_id, started_at, ended_at}   studio and room
  studio.health {session_id, figures..., warnings: [{code, message}]}    studio only
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.common.realtime import broadcast
from backend.common.timefmt import iso_local
from backend.live import groups
from backend.live.models import Explanation, LineupItem, LiveSession


def _iso(value: datetime | None) -> str | None:
    return iso_local(value) if value is not None else None


def session_state_broadcast(*, session: LiveSession) -> None:
    payload = {
        "session_id": session.pk,
        "state": session.state,
        "publishing": session.publishing,
        "started_at": _iso(session.started_at),
        "ended_at": _iso(session.ended_at),
    }
    broadcast(groups.studio(session.pk), "live.state", payload)
    broadcast(groups.room(session.pk), "live.state", payload)


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
        broadcast(groups.room(item.session_id), "live.card", payload)


def explain_broadcast(*, explanation: Explanation) -> None:
    payload = {
        "session_id": explanation.session_id,
        "item_id": explanation.item_id,
        "product_id": explanation.item.sku.product_id,
        "started_at": _iso(explanation.started_at),
        "ended_at": _iso(explanation.ended_at),
    }
    broadcast(groups.studio(explanation.session_id), "live.explain", payload)
    broadcast(groups.room(explanation.session_id), "live.explain", payload)


def health_broadcast(*, session_id: int, payload: dict[str, Any]) -> None:
    broadcast(groups.studio(session_id), "studio.health", payload)
