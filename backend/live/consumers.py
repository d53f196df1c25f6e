"""/ws/studio/<id>/: the console of one session for its streamer, assistants (and the
office, read only). Thin: it checks the gate, joins the group, and hands commands to
backend.live.studio. Message types: docs/live-studio-socket.md."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from backend.common.errors import DomainError
from backend.live import groups, studio
from backend.live.access import SessionAccess, access_session
from backend.live.models import CardState


def _explain(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    studio.studio_explain(user=user, session_id=session_id, item_id=int(payload["item_id"]))


def _explain_end(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    studio.studio_explain_end(user=user, session_id=session_id)


def _card(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    state = str(payload["state"])
    if state not in (CardState.HIDDEN, CardState.LISTED, CardState.SOLD_OUT):
        raise ValueError(f"unknown card state {state!r}")
    studio.studio_card(
        user=user, session_id=session_id, item_id=int(payload["item_id"]), state=state
    )


class WsCode:
    UNKNOWN_TYPE = "ws.unknown_type"
    BAD_PAYLOAD = "ws.bad_payload"


COMMANDS = {
    "studio.explain": _explain,
    "studio.explain_end": _explain_end,
    "studio.card": _card,
}


class StudioConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        try:
            access: SessionAccess = await database_sync_to_async(access_session)(
                user=user, session_id=self.session_id
            )
        except DomainError:
            await self.close(code=4403)  # not theirs: ws.js does not retry 4403
            return
        self.group = groups.studio(self.session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        hello = {"session_id": self.session_id, "state": access.session.state,
                 "can_control": access.can_control}  # fmt: skip
        await self.send_json({"type": "studio.hello", "payload": hello})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong", "payload": content.get("payload")})
            return
        command = COMMANDS.get(str(kind))
        if command is None:
            await self._error(WsCode.UNKNOWN_TYPE, "Unknown message type.")
            return
        payload = content.get("payload") or {}
        try:
            await database_sync_to_async(command)(self.scope["user"], self.session_id, payload)
        except DomainError as exc:
            await self._error(str(exc.code), exc.message)
        except (KeyError, TypeError, ValueError):
            await self._error(WsCode.BAD_PAYLOAD, "The payload is missing a field.")

    async def _error(self, code: str, message: str) -> None:
        await self.send_json(
            {"type": "studio.error", "payload": {"code": code, "message": message}}
        )

    async def group_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": message["event"], "payload": message["payload"]})
