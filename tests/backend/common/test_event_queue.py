"""Committed events wait in one Redis list for one drain task (backend/common/event_queue.py):
a crowd's thousands of events cost a few tasks, each delivered once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction

from backend.common import event_queue, events
from backend.common.events import Event, publish
from backend.common.models import EventDelivery
from backend.common.tasks import deliver_ready

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = {"product_id": 7, "seller_org_id": 3, "status": "on_sale", "changed": ["title"]}


@pytest.fixture
def queued(settings) -> Iterator[None]:
    """Events go to a Redis list of this test's own (as with a broker): the session's
    Celery worker, if one runs, drains its own list and never takes these ids."""
    settings.EVENTS_INLINE = False
    settings.REDIS_PREFIX = f"{settings.REDIS_PREFIX}:evq{uuid.uuid4().hex[:8]}"
    yield
    while event_queue.ready_take(limit=1000):
        pass
    event_queue.ready_disarm()


@pytest.fixture
def seen() -> Iterator[list[int]]:
    calls: list[int] = []

    def probe_queue(event: Event) -> None:
        calls.append(event.id)

    events.register("product.updated", probe_queue)
    yield calls
    events.unregister("product.updated", probe_queue)


def test_only_the_first_push_arms_a_drain(queued) -> None:
    assert event_queue.ready_push(event_ids=[11, 12]) is True
    assert event_queue.ready_push(event_ids=[13]) is False  # the armed drain takes it
    assert event_queue.ready_take(limit=2) == [11, 12]
    event_queue.ready_disarm()
    assert event_queue.ready_push(event_ids=[14]) is True  # disarmed: the next drain
    assert event_queue.ready_take(limit=10) == [13, 14]
    assert event_queue.ready_take(limit=10) == []
    event_queue.ready_disarm()
    assert event_queue.ready_rearm() is False  # nothing left: no drain to queue
    event_queue.ready_push(event_ids=[15])
    assert event_queue.ready_rearm() is False  # the push armed one already
    event_queue.ready_disarm()
    assert event_queue.ready_rearm() is True


def test_one_drain_delivers_many_commits_once_each(queued, seen, settings) -> None:
    settings.EVENT_DRAIN_BATCH = 2  # several slices, one transaction each
    settings.EVENT_DRAIN_SLICES = 2  # then it hands over to the next drain
    published = []
    for _ in range(5):
        with transaction.atomic():
            published.append(publish("product.updated", PAYLOAD).pk)
    assert seen == []  # nothing delivered at commit: the ids wait in Redis

    assert deliver_ready() == 4  # two slices of two; the fifth id waits for the next drain
    assert len(seen) == 4
    assert deliver_ready() == 1
    assert sorted(seen) == published
    mine = EventDelivery.objects.filter(event_id__in=published, handler__endswith="probe_queue")
    assert sorted(mine.values_list("status", "attempts")) == [("succeeded", 1)] * 5
    assert deliver_ready() == 0  # a second drain (a redelivered message) finds nothing
    assert sorted(seen) == published
