"""Ending a promotion's window now (a coupon's claims, a flash sale), the one way both do."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def window_close_now(*, model: type[M], pk: int, opens: str, closes: str) -> tuple[M, bool]:
    """Lock the row and end its window now; a window not yet open is recorded as one
    millisecond ending now (the row's check wants it to end after it opens). Returns the
    row and whether it changed (closing twice changes nothing). Call inside a transaction."""
    now = timezone.now()
    row = model._default_manager.select_for_update().get(pk=pk)
    if getattr(row, closes) <= now:
        return row, False
    setattr(row, opens, min(getattr(row, opens), now - timedelta(milliseconds=1)))
    setattr(row, closes, now)
    row.save(update_fields=[opens, closes])
    return row, True
