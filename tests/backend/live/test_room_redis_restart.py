"""Redis restarted under a live room (a Redis of the test's own, not the suite's): the
viewer's socket stays, the ticks stop while Redis is away and resume after it is back; the
likes sent meanwhile are kept by the process and flushed then (the old totals went with
Redis' memory: no persistence on this one)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
import websockets
from asgiref.sync import sync_to_async
from django.utils import timezone

from backend.accounts.roles import Role
from backend.live.models import LiveSession
from backend.live.services import session_create
from tests import harness

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def _redis_up(port: int):
    def check() -> bool:
        try:
            return bool(redis.Redis(port=port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    return check


@pytest.fixture
def own_redis() -> Iterator[tuple[harness.Process, int]]:
    port = harness.free_port()
    cmd = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]
    proc = harness.Process("redis-own", cmd, harness.base_env())
    proc.start(_redis_up(port), timeout=20)
    try:
        yield proc, port
    finally:
        proc.stop()


@pytest.fixture
def room_daphne(process_env, own_redis) -> Iterator[str]:
    _proc, port = own_redis
    listener = socket.create_server(("127.0.0.1", 0))
    env = {**process_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    proc, url = harness.start_daphne(env, listener)
    try:
        yield url.replace("http://", "ws://")
    finally:
        proc.stop()
        listener.close()


async def _likes_reach(ws, total: int, timeout: float = 10) -> dict:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (left := deadline - loop.time()) > 0:
        frame = json.loads(await asyncio.wait_for(ws.recv(), left))
        if frame["type"] == "live.tick" and frame["payload"]["likes"] == total:
            return frame["payload"]
    raise AssertionError(f"no tick with {total} likes")


async def _quiet(ws, seconds: float) -> list[dict]:
    frames = []
    try:
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), seconds)))
    except TimeoutError:
        return frames


async def test_the_room_resumes_after_redis_restarts(make_user, own_redis, room_daphne) -> None:
    proc, port = own_redis

    def live_session() -> int:
        streamer = make_user(Role.STREAMER, username="redis-restart")
        session = session_create(
            streamer=streamer, title="重启", scheduled_start=timezone.now() + timedelta(hours=1)
        )
        LiveSession.objects.filter(pk=session.pk).update(state="live", started_at=timezone.now())
        return session.pk

    sid = await sync_to_async(live_session)()
    url = f"{room_daphne}/ws/live/{sid}/?vid=restart-0001"
    like = json.dumps({"type": "live.like", "payload": {"count": 5}})
    async with websockets.connect(url, additional_headers={"Origin": "http://127.0.0.1"}) as ws:
        assert json.loads(await ws.recv())["type"] == "live.hello"
        await ws.send(like)
        assert (await _likes_reach(ws, 5))["viewers"] == 1
        proc.kill()  # Redis gone: no ticks, the socket stays
        await ws.send(json.dumps({"type": "live.like", "payload": {"count": 4}}))
        assert [f for f in await _quiet(ws, 1.5) if f["type"] == "live.tick"] == []
        proc.start(_redis_up(port), timeout=20)
        await ws.send(json.dumps({"type": "live.like", "payload": {"count": 3}}))
        await ws.send(json.dumps({"type": "live.heartbeat", "payload": {}}))
        resumed = await _likes_reach(ws, 7)  # 4 kept while Redis was away + 3 after
        assert resumed["viewers"] == 1
        await ws.send(json.dumps({"type": "ping", "payload": {"n": 1}}))
        assert {"type": "pong", "payload": {"n": 1}} in await _quiet(ws, 1)
