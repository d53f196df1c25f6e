"""Time-window slicing and backwards paging shared by the order queries."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def slice_windows(
    *, start: datetime, end: datetime, max_window: timedelta, overlap: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive windows no longer than `max_window`, each starting `overlap` before the
    previous one ended, so a record stamped exactly on an edge is inside two windows."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("windows need aware datetimes")
    if overlap >= max_window:
        raise ValueError("overlap must be shorter than the window")
    lower = start
    while lower < end:
        upper = min(lower + max_window, end)
        yield lower, upper
        if upper >= end:
            return
        lower = upper - overlap


def dedupe(records: Iterable[T], *, key: Callable[[T], K]) -> Iterator[T]:
    seen: set[K] = set()
    for record in records:
        marker = key(record)
        if marker not in seen:
            seen.add(marker)
            yield record


def pages_backwards(fetch: Callable[[int], tuple[list[T], int]], *, page_size: int) -> Iterator[T]:
    """Read page 1 for the total, then the last page down to page 1 (page 1 re-read).

    Platforms that sort newest first ask for this: when a record leaves the window while we
    page, the later records slide towards page 1, onto pages not read yet, so none is lost.
    """
    first, total = fetch(1)
    last = max(1, -(-total // page_size))
    if last == 1:
        yield from first
        return
    for page in range(last, 0, -1):
        records, _ = fetch(page)
        yield from records


def pages_forward(fetch: Callable[[int], tuple[list[T], bool]]) -> Iterator[T]:
    """Page 1, 2, … while the platform says there is more."""
    page = 1
    while True:
        records, has_next = fetch(page)
        yield from records
        if not has_next or not records:
            return
        page += 1
