"""Sockets of the room (/ws/live/<id>/) and the console on the Redis channel layer."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from backend.config.asgi import application


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def room_socket(user, sid: int, vid: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie)(user)))
    query = f"?vid={vid}" if vid else ""
    return WebsocketCommunicator(application, f"/ws/live/{sid}/{query}", headers=headers)


async def join(user, sid: int, vid: str = "") -> tuple[WebsocketCommunicator, dict[str, Any]]:
    socket = await room_socket(user, sid, vid)
    connected, code = await socket.connect()
    assert connected, code
    hello = await socket.receive_json_from(timeout=5)
    assert hello["type"] == "live.hello"
    return socket, hello["payload"]


async def console(user, sid: int) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application,
        f"/ws/studio/{sid}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", await sync_to_async(_cookie)(user))],
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=5))["type"] == "studio.hello"
    return socket


async def next_of(socket: WebsocketCommunicator, kind: str, timeout: float = 3) -> dict[str, Any]:
    """The next frame of a type, skipping others (ticks of likes and viewers)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, f"no {kind} frame within {timeout}s"
        frame = await socket.receive_json_from(timeout=left)
        if frame["type"] == kind:
            return dict(frame["payload"])


async def tick_with(socket: WebsocketCommunicator, test, timeout: float = 3) -> dict[str, Any]:
    """The first tick whose payload passes `test`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, f"no matching tick within {timeout}s"
        tick = await next_of(socket, "live.tick", left)
        if test(tick):
            return tick


async def frames_for(socket: WebsocketCommunicator, seconds: float) -> list[dict[str, Any]]:
    """Every frame that arrives in the next `seconds`."""
    frames = []
    deadline = asyncio.get_running_loop().time() + seconds
    while deadline - asyncio.get_running_loop().time() > 0:
        if await socket.receive_nothing(timeout=0.05, interval=0.01):
            continue  # (a timed-out receive would cancel the consumer)
        frames.append(await socket.receive_json_from(timeout=1))
    return frames
