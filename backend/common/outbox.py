"""Delivering outbox events to their handlers: once per (event, handler), retried with
exponential backoff by the sweep, given up ("dead") after EVENT_MAX_ATTEMPTS."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.common.events import Event, handler_by_name
from backend.common.lock_objects import delivery_lock_open
from backend.common.models import EventDelivery

logger = logging.getLogger(__name__)
Status = EventDelivery.Status
_OPEN = [Status.PENDING, Status.FAILED]


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with ±20 % jitter: base, 2×base, 4×base … capped."""
    base = settings.EVENT_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    seconds = min(settings.EVENT_RETRY_MAX_SECONDS, base) * random.uniform(0.8, 1.2)
    return timedelta(seconds=seconds)


def delivery_run(*, delivery_id: int) -> str | None:
    """Run one delivery if it is open and nobody else holds it. The handler's writes and the
    'succeeded' mark commit together, so a crash mid-handler leaves the delivery open."""
    with transaction.atomic():
        delivery = delivery_lock_open(delivery_id=delivery_id, statuses=_OPEN)
        if delivery is None:
            return None
        return _run_locked([delivery])[delivery.pk]


def _run_locked(deliveries: list[EventDelivery]) -> dict[int, str]:
    """Run locked deliveries, each handler in its own savepoint (a failing one is rolled
    back and recorded alone); the successes are marked with one UPDATE. Call inside the
    transaction that locked them: handlers' writes and the marks commit together."""
    outcome: dict[int, str] = {}
    for delivery in deliveries:
        event = delivery.event
        func = handler_by_name(event.name, delivery.handler)
        try:
            if func is None:
                raise LookupError(f"handler {delivery.handler} is not registered here")
            with transaction.atomic():
                func(Event(event.pk, event.name, event.payload, event.created_at))
        except Exception as exc:
            _failure_record(delivery, exc)
            outcome[delivery.pk] = delivery.status
            continue
        outcome[delivery.pk] = Status.SUCCEEDED
    succeeded = [pk for pk, status in outcome.items() if status == Status.SUCCEEDED]
    if succeeded:
        EventDelivery.objects.filter(pk__in=succeeded).update(
            status=Status.SUCCEEDED,
            succeeded_at=timezone.now(),
            attempts=F("attempts") + 1,
            last_error="",
        )
    return outcome


def _failure_record(delivery: EventDelivery, exc: Exception) -> None:
    delivery.attempts += 1
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= settings.EVENT_MAX_ATTEMPTS:
        delivery.status = Status.DEAD
        logger.error("event delivery %s is dead after %s attempts", delivery, delivery.attempts)
    else:
        delivery.status = Status.FAILED
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        logger.warning("event delivery %s failed (attempt %s)", delivery, delivery.attempts)
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def event_deliver(*, event_id: int, due_only: bool = False) -> dict[str, int]:
    """Deliver an event's open deliveries: all pending ones right after commit, or only the
    due ones when the sweep calls. Returns counts by outcome."""
    return events_deliver(event_ids=[event_id], due_only=due_only)


def events_deliver(*, event_ids: list[int], due_only: bool = False) -> dict[str, int]:
    """Deliver the open deliveries of several events in one transaction: one locking read
    (SKIP LOCKED: a delivery another worker holds is left to it), a savepoint per handler,
    one UPDATE for the successes. A crash leaves them all open for the sweep."""
    now = timezone.now()
    rows = EventDelivery.objects.filter(event_id__in=event_ids, status__in=_OPEN)
    if due_only:
        rows = rows.filter(next_attempt_at__lte=now)
    else:
        rows = rows.filter(Q(status=Status.PENDING) | Q(next_attempt_at__lte=now))
    with transaction.atomic():
        locked = list(
            rows.select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            .order_by("event_id", "id")
        )
        results = _run_locked(locked)
    outcome: dict[str, int] = {}
    for result in results.values():
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


def events_due(*, limit: int = 500) -> list[int]:
    """Ids of events with a delivery that is open and due (failed, or pending past grace)."""
    return list(
        EventDelivery.objects.filter(status__in=_OPEN, next_attempt_at__lte=timezone.now())
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .distinct()[:limit]
    )


def delivery_requeue(*, delivery_ids: list[int]) -> int:
    """From the admin: give dead or failed deliveries a fresh set of attempts, due now."""
    return EventDelivery.objects.filter(
        pk__in=delivery_ids, status__in=[Status.DEAD, Status.FAILED]
    ).update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now())
