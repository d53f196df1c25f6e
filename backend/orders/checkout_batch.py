"""Checkouts written in batches: when a crowd presses buy, the checkouts that wait in one
web process are written together, in one transaction, by whichever of their threads leads.

A checkout's transaction is a handful of statements and a commit; most of their cost, in the
web process and in PostgreSQL, is per statement and per commit, not per row, and a hot SKU's
row lock is held from its update to the commit. A batch locks its buyers in one statement,
reads for all of them in one, inserts every row in one, updates each SKU once for all its
takes and commits once (backend/orders/services_checkout.py `checkouts_write`).

Flat combining: a thread that finds no leader becomes the leader; the others queue and
sleep. The leader takes its own checkout and up to CHECKOUT_BATCH_MAX - 1 queued ones (one
per buyer: a buyer's next checkout must see the one before it), writes them, wakes their
threads with their outcomes and hands the lead to the oldest checkout still queued. Nobody
waits for a batch to fill: a checkout that arrives while no batch is being written is
written at once, alone.

Only on PostgreSQL, and only where the checkout is the outermost transaction (a caller's
own transaction must see its checkout): elsewhere each checkout is written alone, by the
same code."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection

J = TypeVar("J")


class _Seat(Generic[J]):
    __slots__ = ("done", "job", "key", "lead", "wake")

    def __init__(self, job: J, key: object) -> None:
        self.job, self.key = job, key
        self.wake = threading.Event()
        self.lead = False
        self.done = False


class Combiner(Generic[J]):
    """Runs `write(jobs)` for batches of jobs submitted from many threads. `write` records
    each job's outcome on the job; it must not raise for one job's sake."""

    def __init__(self, write: Callable[[list[J]], None], key: Callable[[J], object]) -> None:
        self._write, self._key = write, key
        self._lock = threading.Lock()
        self._queue: deque[_Seat[J]] = deque()
        self._leading = False
        self.batches = 0  # written by this process (the tests read them)
        self.written = 0

    def waiting(self) -> int:
        """Jobs queued behind the batch being written."""
        with self._lock:
            return len(self._queue)

    def submit(self, job: J) -> None:
        if not batching():
            self._write([job])
            return
        seat = _Seat(job, self._key(job))
        with self._lock:
            self._queue.append(seat)
            if not self._leading:
                self._leading = seat.lead = True
        while not seat.done:
            if seat.lead:
                self._lead(seat)
            else:
                _connection_release()
                seat.wake.wait()
                seat.wake.clear()

    def _take(self, own: _Seat[J]) -> list[_Seat[J]]:
        """The leader's batch: its own job first, then the oldest queued, one per key."""
        limit = max(1, settings.CHECKOUT_BATCH_MAX)
        self._queue.remove(own)
        batch, keys, kept = [own], {own.key}, deque[_Seat[J]]()
        while self._queue and len(batch) < limit:
            seat = self._queue.popleft()
            if seat.key in keys:
                kept.append(seat)
            else:
                batch.append(seat)
                keys.add(seat.key)
        self._queue.extendleft(reversed(kept))
        return batch

    def _lead(self, own: _Seat[J]) -> None:
        with self._lock:
            batch = self._take(own)
        try:
            self._write([seat.job for seat in batch])
        finally:
            with self._lock:
                self.batches += 1
                self.written += len(batch)
                for seat in batch:
                    seat.done = True
                successor = self._queue[0] if self._queue else None
                if successor is None:
                    self._leading = False
                else:
                    successor.lead = True
            for seat in batch[1:]:
                seat.wake.set()
            if successor is not None:
                successor.wake.set()


def _connection_release() -> None:
    """A thread that sleeps until its batch is written gives its pooled connection back
    (it was outside any transaction, or it would not be here): the leader may need one."""
    if getattr(connection, "pool", None) is not None and connection.connection is not None:
        connection.close()


def batching() -> bool:
    return (
        settings.CHECKOUT_BATCH_MAX > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
