"""Row locks of incubation, in one place. Lock order: an incubatee before its milestones.
Every helper must be called inside `transaction.atomic()`."""

from __future__ import annotations

from backend.incubation.models import Incubatee


def incubatee_lock(*, incubatee_id: int) -> Incubatee:
    return Incubatee.objects.select_for_update().get(pk=incubatee_id)
