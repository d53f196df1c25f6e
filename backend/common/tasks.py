from __future__ import annotations

import socket

from celery import shared_task


@shared_task(name="backend.common.tasks.ping")
def ping(payload: str) -> dict[str, str]:
    """Liveness probe of the worker fleet: answers with the payload and the worker's host."""
    return {"payload": payload, "host": socket.gethostname()}


@shared_task(name="backend.common.tasks.deliver_event")
def deliver_event(event_id: int, due_only: bool = False) -> dict[str, int]:
    from backend.common.outbox import event_deliver

    return event_deliver(event_id=event_id, due_only=due_only)


@shared_task(name="backend.common.tasks.events_sweep")
def events_sweep() -> int:
    """Re-deliver what failed or was never dispatched (a process died after commit)."""
    from backend.common.outbox import events_due

    due = events_due()
    for event_id in due:
        deliver_event.delay(event_id, due_only=True)
    return len(due)
