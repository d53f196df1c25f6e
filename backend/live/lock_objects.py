"""Row locks of live sessions, in one place. Call inside `transaction.atomic()`.

Lock order: a session before its line-up items.
"""

from __future__ import annotations

from backend.live.models import LineupItem, LiveSession


def session_lock(*, session_id: int) -> LiveSession:
    return LiveSession.objects.select_for_update().get(pk=session_id)


def session_lock_by_key_hash(*, digest: str) -> LiveSession | None:
    return LiveSession.objects.select_for_update().filter(key_hash=digest).first()


def lineup_item_lock(*, item_id: int) -> LineupItem:
    return LineupItem.objects.select_for_update(of=("self",)).select_related("sku").get(pk=item_id)
