"""Events published in a batch are stored together (two inserts), or not at all; a handler's
`when` decides at publish time whether an event gets a delivery."""

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


def test_a_batch_stores_its_events_with_two_inserts(big_probes_only) -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with publishing_batch():
            small = publish("test.probe", PROBE)
            big = publish("test.probe", {**PROBE, "probe_id": 101})
            assert (small.pk, big.pk) == (None, None)  # written when the batch closes
    inserts = [q["sql"].split('"')[1] for q in captured.captured_queries]
    assert inserts == ["common_outboxevent", "common_eventdelivery"]
    assert list(OutboxEvent.objects.order_by("id").values_list("pk", flat=True)) == [
        small.pk,
        big.pk,
    ]
    deliveries = EventDelivery.objects.filter(handler__endswith="probe_big_probes")
    assert list(deliveries.values_list("event_id", flat=True)) == [big.pk]


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
