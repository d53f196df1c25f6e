"""The leaderboard leaves here, after commit, coalesced: the first change in a second is
pushed at once (leading edge); later ones in that second only mark the board dirty, and the
beat entry `campaigns.boards-flush` pushes dirty boards every two seconds. Every frame
carries the whole standings, so a late frame never leaves a stale one on screen.

Message type and payload: docs/campaign-leaderboard-socket.md (`campaigns.board`)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from backend.campaigns import groups
from backend.common.redis_client import redis_client

WINDOW_MS = 1000


def _key(name: str) -> str:
    return f"{settings.REDIS_PREFIX}:campaigns:{name}"


def board_send(*, campaign_id: int) -> None:
    """Compute the standings and send them to the board's group now."""
    from backend.campaigns.selectors import board_payload_of

    payload = board_payload_of(campaign_id=campaign_id)
    if payload is None:
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            groups.board(campaign_id),
            {"type": "group.event", "event": "campaigns.board", "payload": payload},
        )


def board_push_soon(campaign_id: int) -> None:
    client = redis_client()
    if client.set(_key(f"board:{campaign_id}:window"), 1, nx=True, px=WINDOW_MS):
        board_send(campaign_id=campaign_id)
    else:
        client.sadd(_key("boards:dirty"), campaign_id)


def board_changed(*, campaign_id: int) -> None:
    """Something a contest ranks by changed: push its board once the transaction commits."""
    transaction.on_commit(lambda: board_push_soon(campaign_id))


def boards_flush() -> int:
    """Push every board marked dirty since the last flush (the beat entry)."""
    client = redis_client()
    ids: list[bytes] = client.spop(_key("boards:dirty"), 1000) or []  # type: ignore[assignment]
    for raw in ids:
        board_send(campaign_id=int(raw))
    return len(ids)
