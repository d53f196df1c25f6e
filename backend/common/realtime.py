"""Websocket groups and broadcasting (CONVENTIONS rule 10).

Group names come only from the helpers here; broadcasts leave after commit.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def broadcast(group: str, event_type: str, payload: dict[str, Any]) -> None:
    """Send `{"type": event_type, "payload": ...}` to a group once the transaction commits."""

    def _send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(
            group, {"type": "group.event", "event": event_type, "payload": payload}
        )

    transaction.on_commit(_send)
