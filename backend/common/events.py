"""Domain events: publish inside the writing transaction, deliver after commit.

    publish("order.paid", {...})      # stores an outbox row + one delivery row per handler
    @handler("order.paid")            # in an app's handlers.py
    def credit_gmv(event: Event) -> None: ...

Delivery (backend/common/outbox.py) runs each (event, handler) pair once; failures are
retried with backoff by a periodic sweep. Names and payloads: event_catalog.EVENTS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from backend.common.event_catalog import EVENTS
from backend.common.models import EventDelivery, OutboxEvent


@dataclass(frozen=True)
class Event:
    id: int
    name: str
    payload: dict[str, Any]
    created_at: datetime


Handler = Callable[[Event], None]

_REGISTRY: dict[str, dict[str, Handler]] = {}


class EventError(ValueError):
    """A programming error: unknown event name or a payload that breaks its contract."""


def handler_name(func: Handler) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def register(event_name: str, func: Handler) -> Handler:
    if event_name not in EVENTS:
        raise EventError(f"unknown event {event_name!r}: add it to event_catalog.EVENTS")
    _REGISTRY.setdefault(event_name, {})[handler_name(func)] = func
    return func


def unregister(event_name: str, func: Handler) -> None:
    _REGISTRY.get(event_name, {}).pop(handler_name(func), None)


def handler(event_name: str) -> Callable[[Handler], Handler]:
    """Decorator for functions in an app's handlers.py."""

    def decorate(func: Handler) -> Handler:
        return register(event_name, func)

    return decorate


def handlers_for(event_name: str) -> dict[str, Handler]:
    return dict(_REGISTRY.get(event_name, {}))


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


def publish(name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Store the event in the current transaction; it is delivered only if that commits."""
    _check_payload(name, payload)
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise EventError("publish() must be called inside transaction.atomic()")
    event = OutboxEvent.objects.create(name=name, payload=payload)
    # The sweep leaves fresh deliveries alone for a grace period: the after-commit
    # dispatch below is the normal path; the sweep is the safety net.
    due = timezone.now() + timedelta(seconds=settings.EVENT_SWEEP_GRACE_SECONDS)
    EventDelivery.objects.bulk_create(
        EventDelivery(event=event, handler=name_, next_attempt_at=due)
        for name_ in handlers_for(name)
    )
    transaction.on_commit(lambda: dispatch(event_id=event.pk))
    return event


def dispatch(*, event_id: int) -> None:
    """Hand the event to Celery, or deliver inline when no broker is configured."""
    from backend.common.outbox import event_deliver
    from backend.common.tasks import deliver_event

    if settings.EVENTS_INLINE:
        event_deliver(event_id=event_id)
    else:
        deliver_event.delay(event_id)
