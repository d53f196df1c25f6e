"""Bounded retries for tasks that call the outside world (payments, SMS, file storage).

Only what is transient is retried (an `Unavailable` error: a refused connection, a timeout,
a 5xx); each retry waits longer, up to a cap, with jitter so that a fleet of workers does
not call a recovering service in step; after `max_retries` the task gives up and says so.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Task

T = TypeVar("T")


def backoff_seconds(retries: int, *, base: float, cap: float) -> float:
    """Wait before retry number `retries` + 1: between half and all of min(cap, base * 2^n)."""
    ceiling = min(cap, base * float(2**retries))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_or_give_up(
    task: Task[Any, Any], exc: Exception, *, base: float, cap: float, give_up: Callable[[], T]
) -> T:
    """Call from a bound task's `except` clause for a transient error."""
    if task.request.retries >= (task.max_retries or 0):
        return give_up()
    countdown = backoff_seconds(task.request.retries, base=base, cap=cap)
    raise task.retry(exc=exc, countdown=countdown)
