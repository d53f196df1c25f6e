"""/ws/studio/<id>/: the console of one session for its streamer, assistants (and the
office, read only); /ws/live/<id>/: the room of its viewers. Thin: each checks the gate,
joins the group and the process's room hub, and hands commands to one service. Message
types: docs/live-studio-socket.md and docs/live-room-socket.md."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from backend.common.errors import DomainError
from backend.live import groups, services_room, studio
from backend.live.access import SessionAccess, access_session
from backend.live.hub import Outbox, hub
from backend.live.models import CardState

log = logging.getLogger(__name__)


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


def _hide(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    services_room.comment_hide(
        user=user, session_id=session_id, comment_id=int(payload["comment_id"])
    )


def _pin(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    comment_id = payload["comment_id"]
    services_room.comment_pin(
        user=user, session_id=session_id, comment_id=None if comment_id is None else int(comment_id)
    )


def _mute(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    services_room.user_mute(
        user=user, session_id=session_id, target_id=int(payload["user_id"]),
        minutes=int(payload["minutes"]),
    )  # fmt: skip


def _room_set(user: Any, session_id: int, payload: dict[str, Any]) -> None:
    muted_all, slow = payload.get("muted_all"), payload.get("slow_mode_s")
    if muted_all is not None and not isinstance(muted_all, bool):
        raise TypeError("muted_all is true or false")
    services_room.room_set(
        user=user, session_id=session_id, muted_all=muted_all,
        slow_mode_s=None if slow is None else int(slow),
    )  # fmt: skip


class WsCode:
    UNKNOWN_TYPE = "ws.unknown_type"
    BAD_PAYLOAD = "ws.bad_payload"
    BAD_FRAME = "ws.bad_frame"
    LOGIN_REQUIRED = "ws.login_required"


COMMANDS = {
    "studio.explain": _explain,
    "studio.explain_end": _explain_end,
    "studio.card": _card,
    "room.hide": _hide,
    "room.pin": _pin,
    "room.mute": _mute,
    "room.set": _room_set,
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
        # The room's ticks (comments, likes, viewers, the ticker) reach the console too.
        self.outbox = Outbox(self.base_send, self._drop)
        hub().join(self.session_id, self)

    def push(self, text: str) -> bool:
        return self.outbox.push(text)

    async def _drop(self, code: int) -> None:
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if hasattr(self, "outbox"):
            hub().leave(self.session_id, self)
            await self.outbox.stop()

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


_VID = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


class RoomConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """/ws/live/<id>/: anyone watches (a rehearsal only its staff); signed-in viewers
    comment and report; everyone likes. Frames are counted, never trusted: a frame that is
    not JSON or of an unknown type gets a `live.error` and the socket stays."""

    bad_frames = 0
    # No channel layer: the room's frames come from the process's hub (one Redis read per
    # tick for all its sockets), not a layer channel per viewer.
    channel_layer_alias = "live.room.no-layer"

    async def connect(self) -> None:
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        user = self.scope.get("user")
        try:
            room, snapshot = await database_sync_to_async(services_room.room_open)(
                user=user, session_id=self.session_id
            )
        except DomainError:
            await self.close(code=4403)
            return
        self.signed_in = bool(user is not None and user.is_authenticated)
        self.viewer = self._viewer_key()
        await self.accept()
        snapshot["can_comment"] = self.signed_in
        snapshot["can_moderate"] = room.can_moderate
        await self.send(text_data=json.dumps({"type": "live.hello", "payload": snapshot}))
        self.outbox = Outbox(self.base_send, self._drop)
        rooms = hub()
        rooms.join(self.session_id, self)
        rooms.beat(self.session_id, self.viewer)

    def _viewer_key(self) -> str:
        """One viewer per person: the user, else the page's own id (`?vid=`, kept in the
        browser across reloads), else this socket."""
        if self.signed_in:
            return f"u{self.scope['user'].pk}"
        query = dict(
            part.split("=", 1) for part in self.scope.get("query_string", b"").decode().split("&")
            if "=" in part
        )  # fmt: skip
        vid = query.get("vid", "")
        return f"a{vid}" if _VID.match(vid) else f"c{self.channel_name}"

    def push(self, text: str) -> bool:
        return self.outbox.push(text)

    async def _drop(self, code: int) -> None:
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "outbox"):
            hub().leave(self.session_id, self)
            await self.outbox.stop()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            content = json.loads(text_data or "")
        except ValueError:
            content = None
        if not isinstance(content, dict) or not isinstance(content.get("payload", {}), dict):
            await self._bad(WsCode.BAD_FRAME, "A frame is a JSON object {type, payload}.")
            return
        kind, payload = content.get("type"), content.get("payload") or {}
        if kind == "live.like":
            count = payload.get("count", 1)
            if isinstance(count, int) and not isinstance(count, bool) and count > 0:
                liker = self.scope["user"].pk if self.signed_in else None
                hub().like(self.session_id, count, liker=liker)
            else:
                await self._bad(WsCode.BAD_PAYLOAD, "count is a positive whole number.")
        elif kind == "live.heartbeat":
            hub().beat(self.session_id, self.viewer)
        elif kind == "ping":
            await self.send(text_data=json.dumps({"type": "pong", "payload": payload}))
        elif kind in ("live.comment", "live.report"):
            await self._signed_in_command(str(kind), payload)
        else:
            await self._bad(WsCode.UNKNOWN_TYPE, "Unknown message type.")

    async def _signed_in_command(self, kind: str, payload: dict[str, Any]) -> None:
        if not self.signed_in:
            await self._error(WsCode.LOGIN_REQUIRED, "Log in to comment or report.")
            return
        user = self.scope["user"]
        try:
            if kind == "live.comment":
                text = payload["text"]
                if not isinstance(text, str):
                    raise TypeError("text")
                comment, visible = await database_sync_to_async(services_room.comment_post)(
                    user=user, session_id=self.session_id, text=text
                )
                body = {"comment": services_room.comment_payload(comment), "visible": visible}
                await self.send(
                    text_data=json.dumps({"type": "live.comment_sent", "payload": body})
                )
            else:
                reason = payload.get("reason", "")
                report = await database_sync_to_async(services_room.comment_report)(
                    user=user, session_id=self.session_id,
                    comment_id=int(payload["comment_id"]), reason=str(reason),
                )  # fmt: skip
                body = {"report_id": report.pk, "comment_id": report.comment_id}
                await self.send(text_data=json.dumps({"type": "live.reported", "payload": body}))
        except DomainError as exc:
            await self._error(str(exc.code), exc.message, exc.extra)
        except (KeyError, TypeError, ValueError):
            await self._bad(WsCode.BAD_PAYLOAD, "The payload is missing a field.")

    async def _bad(self, code: str, message: str) -> None:
        self.bad_frames += 1
        log.info("room %s: bad frame #%d (%s)", self.session_id, self.bad_frames, code)
        await self._error(code, message)

    async def _error(self, code: str, message: str, extra: dict[str, Any] | None = None) -> None:
        payload = {"code": code, "message": message, **(extra or {})}
        frame = {"type": "live.error", "payload": payload}
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))
