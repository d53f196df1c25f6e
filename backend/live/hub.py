"""The room's fan-out inside one daphne process.

Every process that holds sockets of a room runs one ticker for it: every TICK_S (0.25 s,
4 ticks per second) it flushes the likes and heartbeats its sockets sent since the last
tick, reads the shared totals and the new feed entries with one Redis script call
(room_state.tick), builds one `live.tick` frame, serialises it once and puts the same
text on every local member's bounded queue. The room's task then writes the queues to the
sockets; a member whose queue is full (a client that does not read) is closed instead of
holding memory. Moderation frames from the feed
(`live.comment_hidden`, `live.pin`, `live.room`) go out the same way, before the tick
they arrived in. N processes: N script calls per tick per room, never one per member.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from typing import Any, Protocol

from django.utils import translation

from backend.live import room_state

log = logging.getLogger(__name__)

QUEUE_FRAMES = 64  # ~16 s of ticks: a client this far behind is dropped
LIKES_PER_FRAME = 50  # a client batches its taps; more in one frame is clamped


class Member(Protocol):
    outbox: Outbox

    def push(self, text: str) -> bool: ...


class Room:
    def __init__(self, hub: Hub, session_id: int) -> None:
        self.hub = hub
        self.session_id = session_id
        self.members: set[Member] = set()
        self.likes = 0
        self.beats: set[str] = set()
        self.likers: set[int] = set()  # signed-in users who liked since the last tick
        self.last_id = ""
        self.seq = 0
        self.sent = (0, 0)  # likes, viewers of the last tick (the hello had the start)
        self.task: asyncio.Task[None] | None = None
        self.frames_sent = 0

    async def run(self) -> None:
        next_at = time.monotonic()
        while self.members:
            next_at += room_state.TICK_S
            try:
                await self.tick()
            except Exception:  # Redis away: keep the sockets, try again next tick
                log.warning("room %s: tick failed", self.session_id, exc_info=True)
                self.last_id = ""  # the feed may be gone with Redis: start from its end
            delay = next_at - time.monotonic()
            if delay < 0:
                next_at = time.monotonic()  # behind: skip, never burst
                delay = 0
            await asyncio.sleep(delay)
        self.hub.rooms.pop(self.session_id, None)

    async def tick(self) -> None:
        likes, beats, likers = self.likes, sorted(self.beats), self.likers
        self.likes, self.beats, self.likers = 0, set(), set()
        try:
            total, viewers, _peak, self.last_id, entries = await room_state.tick(
                self.session_id, likes=likes, beats=beats, last_id=self.last_id
            )
            if likers:
                await room_state.likers_add(self.session_id, likers)
        except Exception:
            self.likes += likes  # not flushed: the next tick tries again
            self.beats |= set(beats)
            self.likers |= likers
            raise
        if entries:
            from backend.live.services_room import snapshot_forget

            snapshot_forget(self.session_id)  # the next joiners' hello has these entries
        comments: list[Any] = []
        orders: list[dict[str, Any]] = []
        for raw in entries:
            frame = json.loads(raw)
            if frame["type"] == "live.comment":
                comments.append(frame["payload"])
            elif frame["type"] == "live.order":
                orders.append(frame["payload"])
            else:
                self.fanout(raw)
        if not comments and not orders and (total, viewers) == self.sent:
            await self.drain()
            return
        self.sent = (total, viewers)
        self.seq += 1
        payload: dict[str, Any] = {
            "session_id": self.session_id,
            "seq": self.seq,
            "ts": int(time.time() * 1000),
            "likes": total,
            "viewers": viewers,
            "comments": comments,
            "orders": None,
        }
        if orders:
            from backend.live.services_metrics import ticker_text

            names = [o["name"] for o in orders]
            with translation.override("zh-hans"):
                text = ticker_text(names, len(names))
            payload["orders"] = {"count": len(names), "names": names[:5], "text": text}
        self.fanout(json.dumps({"type": "live.tick", "payload": payload}, ensure_ascii=False))
        await self.drain()

    def fanout(self, text: str) -> None:
        for member in list(self.members):
            if not member.push(text):
                self.members.discard(member)
        self.frames_sent += len(self.members)

    async def drain(self) -> None:
        """Write every member's queued frames (daphne's send returns at once: a loop of
        awaits, no task switch per socket)."""
        for member in list(self.members):
            try:
                await member.outbox.drain()
            except Exception:  # a socket gone mid-send: it leaves on its own disconnect
                log.debug("room %s: send failed", self.session_id, exc_info=True)


class Hub:
    def __init__(self) -> None:
        self.rooms: dict[int, Room] = {}

    def join(self, session_id: int, member: Member) -> Room:
        room = self.rooms.get(session_id)
        if room is None:
            room = self.rooms[session_id] = Room(self, session_id)
        room.members.add(member)
        if room.task is None or room.task.done():
            room.task = asyncio.get_running_loop().create_task(room.run())
        return room

    def leave(self, session_id: int, member: Member) -> None:
        room = self.rooms.get(session_id)
        if room is not None:
            room.members.discard(member)

    def like(self, session_id: int, count: int, *, liker: int | None = None) -> None:
        room = self.rooms.get(session_id)
        if room is not None:
            room.likes += max(0, min(int(count), LIKES_PER_FRAME))
            if liker is not None:
                room.likers.add(liker)

    def beat(self, session_id: int, viewer: str) -> None:
        room = self.rooms.get(session_id)
        if room is not None:
            room.beats.add(viewer)


_HUBS: dict[int, Hub] = {}


def hub() -> Hub:
    """The hub of this process's event loop (daphne has one; each test has its own)."""
    loop_id = id(asyncio.get_running_loop())
    found = _HUBS.get(loop_id)
    if found is None:
        _HUBS.clear()
        found = _HUBS[loop_id] = Hub()
    return found


class Outbox:
    """A member's bounded queue of room frames. The room's own task writes every member's
    queue to its socket after each tick (one task per room, not one per socket); a member
    whose queue reaches QUEUE_FRAMES (a server that applies backpressure and a client
    that does not read) is closed instead of holding memory."""

    def __init__(self, send: Any, close: Any) -> None:
        self.queue: deque[str] = deque()
        self._send, self._close = send, close
        self.closed = False

    def push(self, text: str) -> bool:
        if self.closed:
            return False
        if len(self.queue) >= QUEUE_FRAMES:
            log.info("dropping a slow room client")
            self.closed = True
            self.queue.clear()
            asyncio.get_running_loop().create_task(self._close(4408))
            return False
        self.queue.append(text)
        return True

    async def drain(self) -> None:
        while self.queue and not self.closed:
            await self._send({"type": "websocket.send", "text": self.queue.popleft()})

    async def stop(self) -> None:
        self.closed = True
        self.queue.clear()
