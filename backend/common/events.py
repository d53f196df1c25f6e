"""Domain events: publish inside the writing transaction, deliver after commit.

    publish("order.paid", {...})      # stores an outbox row + one delivery row per handler
    @handler("order.paid")            # in an app's handlers.py
    def credit_gmv(event: Event) -> None: ...

Delivery (backend/common/outbox.py) runs each (event, handler) pair once; failures are
retried with backoff by a periodic sweep. Names and payloads: event_catalog.EVENTS.
A write that publishes many events at once (a checkout) wraps them in
`publishing_batch()`: they and their deliveries are stored by one statement (PostgreSQL;
two inserts on SQLite) instead of two inserts per event.
A handler of a high-rate event may say which payloads concern it
(`@handler("sku.stock_changed", when=...)`, a pure function of the payload): the others get
no delivery row and no task.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from backend.common.event_catalog import EVENTS
from backend.common.models import EventDelivery, OutboxEvent
from backend.common.prepared import prepared_cursor


@dataclass(frozen=True)
class Event:
    id: int
    name: str
    payload: dict[str, Any]
    created_at: datetime


Handler = Callable[[Event], None]
Concerns = Callable[[dict[str, Any]], bool]

_REGISTRY: dict[str, dict[str, Handler]] = {}
_WHEN: dict[tuple[str, str], Concerns] = {}


class EventError(ValueError):
    """A programming error: unknown event name or a payload that breaks its contract."""


def handler_name(func: Handler) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def register(event_name: str, func: Handler, *, when: Concerns | None = None) -> Handler:
    if event_name not in EVENTS:
        raise EventError(f"unknown event {event_name!r}: add it to event_catalog.EVENTS")
    _REGISTRY.setdefault(event_name, {})[handler_name(func)] = func
    if when is not None:
        _WHEN[(event_name, handler_name(func))] = when
    return func


def unregister(event_name: str, func: Handler) -> None:
    _REGISTRY.get(event_name, {}).pop(handler_name(func), None)
    _WHEN.pop((event_name, handler_name(func)), None)


def handler(event_name: str, *, when: Concerns | None = None) -> Callable[[Handler], Handler]:
    """Decorator for functions in an app's handlers.py; `when(payload)` (optional) says
    whether an event concerns the handler at all, at publish time."""

    def decorate(func: Handler) -> Handler:
        return register(event_name, func, when=when)

    return decorate


def handlers_for(event_name: str) -> dict[str, Handler]:
    return dict(_REGISTRY.get(event_name, {}))


def handlers_concerned(event_name: str, payload: dict[str, Any]) -> list[str]:
    """Names of the handlers that get a delivery of this event."""
    return [
        name
        for name in _REGISTRY.get(event_name, {})
        if (event_name, name) not in _WHEN or _WHEN[(event_name, name)](payload)
    ]


def handler_by_name(event_name: str, name: str) -> Handler | None:
    return _REGISTRY.get(event_name, {}).get(name)


def load_handlers() -> None:
    """Import every installed app's handlers.py, plus EVENT_HANDLER_MODULES_EXTRA."""
    autodiscover_modules("handlers")
    for module in settings.EVENT_HANDLER_MODULES_EXTRA:
        __import__(module)


def _check_payload(name: str, payload: dict[str, Any]) -> None:
    spec = EVENTS.get(name)
    if spec is None:
        raise EventError(f"unknown event {name!r}: add it to event_catalog.EVENTS")
    missing = set(spec.payload) - set(payload)
    if missing:
        raise EventError(f"{name} payload lacks {sorted(missing)}")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise EventError(f"{name} payload is not JSON-safe: {exc}") from exc


_BATCH: ContextVar[list[OutboxEvent] | None] = ContextVar("events_batch", default=None)


def publish(name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Store the event in the current transaction; it is delivered only if that commits.
    Inside `publishing_batch()` the row is written when the batch closes (its pk is None
    until then)."""
    _check_payload(name, payload)
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise EventError("publish() must be called inside transaction.atomic()")
    event = OutboxEvent(name=name, payload=payload)
    pending = _BATCH.get()
    if pending is not None:
        pending.append(event)
    else:
        _store([event])
    return event


@contextmanager
def publishing_batch() -> Iterator[None]:
    """Collect the events published inside and store them all on the way out, in the same
    transaction (use it inside `transaction.atomic()`). Nothing is stored if the block
    raises; a nested batch joins the outer one."""
    if _BATCH.get() is not None:
        yield
        return
    token = _BATCH.set([])
    try:
        yield
        _store(_BATCH.get() or [])
    finally:
        _BATCH.reset(token)


def _store(events: list[OutboxEvent]) -> None:
    """The events and their deliveries written at once (one statement on PostgreSQL, two
    inserts elsewhere); after commit, one dispatch of the events that have a delivery."""
    if not events:
        return
    # The sweep leaves fresh deliveries alone for a grace period: the after-commit
    # dispatch below is the normal path; the sweep is the safety net.
    due = timezone.now() + timedelta(seconds=settings.EVENT_SWEEP_GRACE_SECONDS)
    concerned = [handlers_concerned(event.name, event.payload) for event in events]
    if transaction.get_connection().vendor == "postgresql":
        _store_pg(events, concerned, due)
    else:
        OutboxEvent.objects.bulk_create(events)  # sets the pks (SQLite >= 3.35)
        EventDelivery.objects.bulk_create(
            EventDelivery(event=event, handler=name_, next_attempt_at=due)
            for event, names in zip(events, concerned, strict=True)
            for name_ in names
        )
    # An event nobody listens to here has no delivery: there is nothing to dispatch.
    event_ids = sorted({event.pk for event, names in zip(events, concerned, strict=True) if names})
    if event_ids:
        transaction.on_commit(partial(dispatch, event_ids=event_ids))


# Ids drawn first (the CTE is evaluated once: it calls nextval), so each delivery joins its
# event by position; the rows are what the ORM's two inserts would write.
_EVENTS, _DELIVERIES = OutboxEvent._meta.db_table, EventDelivery._meta.db_table
_STORE_SQL = f"""
WITH src AS (
    SELECT nextval(pg_get_serial_sequence('{_EVENTS}', 'id')) AS id, t.name,
           t.payload, t.n
    FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(name, payload, n)
), ev AS (
    INSERT INTO {_EVENTS} (id, name, payload, created_at)
    SELECT id, name, payload::jsonb, %s FROM src
), dl AS (
    INSERT INTO {_DELIVERIES}
        (event_id, handler, status, attempts, last_error, next_attempt_at, succeeded_at)
    SELECT src.id, d.handler, %s, 0, '', %s, NULL
    FROM src JOIN unnest(%s::bigint[], %s::text[]) AS d(n, handler) ON d.n = src.n
)
SELECT id FROM src ORDER BY n
"""  # noqa: S608 (table names from the models, values bound)


def _store_pg(events: list[OutboxEvent], concerned: list[list[str]], due: datetime) -> None:
    now = timezone.now()
    positions = [n for n, names in enumerate(concerned, start=1) for _ in names]
    handlers = [name_ for names in concerned for name_ in names]
    params = [
        [event.name for event in events],
        [json.dumps(event.payload) for event in events],
        now,
        EventDelivery.Status.PENDING,
        due,
        positions,
        handlers,
    ]
    with prepared_cursor() as cursor:
        cursor.execute(_STORE_SQL, params)
        ids = [row[0] for row in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):
        event.pk, event.created_at = pk, now
        event._state.adding = False


def dispatch(*, event_ids: list[int]) -> None:
    """Hand committed events to the workers (backend/common/event_queue.py), or deliver
    them inline when no broker is configured."""
    from backend.common.event_queue import ready_push
    from backend.common.outbox import event_deliver
    from backend.common.tasks import deliver_ready

    if settings.EVENTS_INLINE:
        for event_id in event_ids:
            event_deliver(event_id=event_id)
    elif ready_push(event_ids=event_ids):
        # Started a moment later, the drain takes what a crowd commits meanwhile at once.
        deliver_ready.apply_async(countdown=settings.EVENT_DRAIN_DELAY_SECONDS or None)
