from __future__ import annotations

import socket

from celery import shared_task


@shared_task(name="backend.common.tasks.ping")
def ping(payload: str) -> dict[str, str]:
    """Liveness probe of the worker fleet: answers with the payload and the worker's host."""
    return {"payload": payload, "host": socket.gethostname()}


@shared_task(name="backend.common.tasks.deliver_ready", ignore_result=True)
def deliver_ready() -> int:
    """Drain the committed events waiting in Redis (event_queue), a slice per transaction,
    up to EVENT_DRAIN_SLICES slices; what is left goes to the next drain."""
    from django.conf import settings

    from backend.common.event_queue import ready_disarm, ready_rearm, ready_take
    from backend.common.outbox import events_deliver

    ready_disarm()
    delivered = 0
    for _slice in range(settings.EVENT_DRAIN_SLICES):
        event_ids = ready_take(limit=settings.EVENT_DRAIN_BATCH)
        if not event_ids:
            return delivered
        events_deliver(event_ids=event_ids)
        delivered += len(event_ids)
    if ready_rearm():
        deliver_ready.delay()
    return delivered


@shared_task(name="backend.common.tasks.deliver_events", ignore_result=True)
def deliver_events(event_ids: list[int], due_only: bool = False) -> dict[str, int]:
    from backend.common.outbox import events_deliver

    return events_deliver(event_ids=event_ids, due_only=due_only)


@shared_task(name="backend.common.tasks.events_sweep")
def events_sweep() -> int:
    """Re-deliver what failed or was never dispatched (a process died after commit)."""
    from backend.common.outbox import events_due

    due = events_due()
    if due:
        deliver_events.delay(due, due_only=True)
    return len(due)
