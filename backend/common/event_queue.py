"""Committed events waiting for delivery: one Redis list and one drain task at a time.

A task per event cost the worker more than the checkout that published it (a crowd's
thousands of `sku.stock_changed`). After commit an event id is pushed on the list; the first
push arms a flag (SET NX) and queues one drain, which disarms the flag and then takes the
list in slices until it is empty, delivering each slice in one transaction
(`outbox.events_deliver`), at most `EVENT_DRAIN_SLICES` slices before it hands over to a
fresh drain (other tasks get the worker's thread in between). A push that finds the flag
armed is taken by the running drain (it empties the list after disarming) or arms the
next one. Ids taken by a drain that dies stay open in the database; the sweep delivers
them after its grace period.
"""

from __future__ import annotations

from django.conf import settings

from backend.common.redis_client import redis_client

# The flag outlives a lost drain task by this much at most; the sweep covers the gap.
ARMED_SECONDS = 30


def _keys() -> tuple[str, str]:
    base = f"{settings.REDIS_PREFIX}:events:ready"
    return base, base + ":armed"


def ready_push(*, event_ids: list[int]) -> bool:
    """Queue committed events; True when the caller must queue a drain."""
    ready, armed = _keys()
    pipe = redis_client().pipeline(transaction=False)
    pipe.rpush(ready, *event_ids)
    pipe.set(armed, 1, nx=True, ex=ARMED_SECONDS)
    return bool(pipe.execute()[1])


def ready_rearm() -> bool:
    """A drain that stops with ids left (its share of the worker is used up) arms the
    next one; True when the caller must queue it (no push armed one meanwhile)."""
    ready, armed = _keys()
    client = redis_client()
    return bool(client.llen(ready)) and bool(client.set(armed, 1, nx=True, ex=ARMED_SECONDS))


def ready_disarm() -> None:
    redis_client().delete(_keys()[1])


def ready_take(*, limit: int) -> list[int]:
    taken = redis_client().lpop(_keys()[0], limit)
    return [int(event_id) for event_id in taken or []]
