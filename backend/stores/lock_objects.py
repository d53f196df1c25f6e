"""Row locks of the stores app, in one place. Call inside `transaction.atomic()`.

Order: a store before its listings; a job's items are claimed by conditional UPDATEs
(services_sync), never locked."""

from __future__ import annotations

from backend.stores.models import Store


def store_lock(*, store_id: int) -> Store | None:
    """Lock a store row; SKIP LOCKED: a second worker refreshing it at once does nothing."""
    return (
        Store.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("app")
        .filter(pk=store_id)
        .first()
    )
