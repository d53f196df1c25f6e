"""Row locks of the outbox, in one place. Call inside `transaction.atomic()`."""

from __future__ import annotations

from collections.abc import Iterable

from backend.common.models import EventDelivery


def delivery_lock_open(*, delivery_id: int, statuses: Iterable[str]) -> EventDelivery | None:
    """Lock one open delivery, or None when another worker holds it or it is done:
    SKIP LOCKED, so two workers never run the same (event, handler) at once."""
    return (
        EventDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("event")
        .filter(pk=delivery_id, status__in=list(statuses))
        .first()
    )
