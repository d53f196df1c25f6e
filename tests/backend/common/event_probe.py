"""Handlers for event tests, loaded into worker processes via EVENT_HANDLER_MODULES_EXTRA.

They listen to `test.probe`, which only tests publish. Effects go to Redis so the test
process can watch them: `probe:started:<event>`, `probe:done:<event>`."""

from __future__ import annotations

import os
import time

import redis
from django.conf import settings

from backend.common.events import Event, handler


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def key(kind: str, event_id: int) -> str:
    return f"{settings.REDIS_PREFIX}:probe:{kind}:{event_id}"


@handler("test.probe")
def slow_once(event: Event) -> None:
    """On its first run for an event it announces itself and hangs (to be killed)."""
    client = _redis()
    client.set(key("started", event.id), os.getpid(), ex=600)
    if event.payload.get("mode") == "block-first" and client.set(
        key("blocked", event.id), 1, nx=True, ex=600
    ):
        time.sleep(120)
    client.incr(key("done", event.id))
