"""Events published in a batch are stored together with their deliveries (one statement on
PostgreSQL), or not at all; a handler's `when` decides at publish time whether an event
gets a delivery."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from backend.common import events
from backend.common.events import Event, publish, publishing_batch
from backend.common.models import EventDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

PROBE = {"probe_id": 1, "mode": "none"}


def probe_big_probes(event: Event) -> None:
    """Listens to test.probe, only for probe ids above 100."""


@pytest.fixture
def big_probes_only() -> Iterator[None]:
    events.register("test.probe", probe_big_probes, when=lambda p: p["probe_id"] > 100)
    yield
    events.unregister("test.probe", probe_big_probes)


def test_a_batch_stores_its_events_and_deliveries_in_one_statement(big_probes_only) -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with publishing_batch():
            small = publish("test.probe", PROBE)
            big = publish("test.probe", {**PROBE, "probe_id": 101})
            assert (small.pk, big.pk) == (None, None)  # written when the batch closes
    assert len(captured.captured_queries) == 1
    assert captured.captured_queries[0]["sql"].lstrip().startswith("WITH src AS")
    stored = list(OutboxEvent.objects.order_by("id").values_list("pk", "payload"))
    assert stored == [(small.pk, PROBE), (big.pk, {**PROBE, "probe_id": 101})]
    deliveries = EventDelivery.objects.filter(handler__endswith="probe_big_probes")
    assert list(deliveries.values_list("event_id", "status", "attempts")) == [
        (big.pk, "pending", 0)
    ]


@pytest.mark.parametrize("count", [7, 600])
def test_each_delivery_belongs_to_its_own_event(big_probes_only, count) -> None:
    """Deliveries join their events by position: every big probe, and only those, gets
    one, in a small batch and in a big one."""
    ids = [90 + 3 * n for n in range(count)]
    with transaction.atomic(), publishing_batch():
        published = [publish("test.probe", {**PROBE, "probe_id": i}) for i in ids]
    by_pk = {event.pk: event.payload["probe_id"] for event in published}
    assert sorted(by_pk) == list(OutboxEvent.objects.order_by("id").values_list("pk", flat=True))
    delivered = EventDelivery.objects.filter(handler__endswith="probe_big_probes")
    assert sorted(by_pk[e] for e in delivered.values_list("event_id", flat=True)) == [
        i for i in ids if i > 100
    ]


def test_a_batch_that_raises_stores_nothing(big_probes_only) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(), publishing_batch():
        publish("test.probe", {**PROBE, "probe_id": 102})
        raise RuntimeError("the write failed after publishing")
    assert (OutboxEvent.objects.count(), EventDelivery.objects.count()) == (0, 0)


def test_a_nested_batch_joins_the_outer_one() -> None:
    with transaction.atomic(), publishing_batch():
        with publishing_batch():
            inner = publish("test.probe", PROBE)
        assert inner.pk is None and OutboxEvent.objects.count() == 0
    assert OutboxEvent.objects.get().pk == inner.pk
