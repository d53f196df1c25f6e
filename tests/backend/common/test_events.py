"""The transactional outbox on PostgreSQL: delivery once, after commit, retried per handler."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from backend.common import events
from backend.common.event_catalog import EVENTS
from backend.common.events import Event, EventError, publish
from backend.common.models import EventDelivery, OutboxEvent
from backend.common.outbox import delivery_requeue, event_deliver, events_due, retry_delay

PAYLOAD = {
    "product_id": 7,
    "seller_org_id": 3,
    "status": "on_sale",
    "changed": ["title"],
}


class Recorder:
    def __init__(self, fail_times: int = 0) -> None:
        self.calls: list[Event] = []
        self.fail_times = fail_times

    def __call__(self, event: Event) -> None:
        self.calls.append(event)
        if len(self.calls) <= self.fail_times:
            raise RuntimeError(f"boom {len(self.calls)}")


def _named(recorder: Recorder, name: str) -> events.Handler:
    def handle(event: Event) -> None:
        recorder(event)

    handle.__qualname__ = name
    return handle


@pytest.fixture
def inline(settings) -> None:
    settings.EVENTS_INLINE = True
    settings.EVENT_RETRY_BASE_SECONDS = 10


@pytest.fixture
def handlers() -> Iterator[dict[str, Recorder]]:
    made: dict[str, Recorder] = {"ok": Recorder(), "flaky": Recorder(fail_times=2)}
    funcs = {key: _named(rec, f"probe_{key}") for key, rec in made.items()}
    for func in funcs.values():
        events.register("product.updated", func)
    yield made
    for func in funcs.values():
        events.unregister("product.updated", func)


def _publish() -> OutboxEvent:
    with transaction.atomic():
        return publish("product.updated", PAYLOAD)


pytestmark = pytest.mark.django_db(transaction=True)


def test_commit_delivers_once(inline, handlers) -> None:
    event = _publish()
    assert [e.payload for e in handlers["ok"].calls] == [PAYLOAD]
    assert handlers["ok"].calls[0].id == event.pk
    ok = EventDelivery.objects.get(event=event, handler__endswith="probe_ok")
    assert (ok.status, ok.attempts) == ("succeeded", 1)
    # A duplicate delivery (a redelivered Celery message, a sweep) is a no-op.
    event_deliver(event_id=event.pk)
    event_deliver(event_id=event.pk, due_only=True)
    assert len(handlers["ok"].calls) == 1


def test_rollback_delivers_nothing(inline, handlers) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        publish("product.updated", PAYLOAD)
        1 / 0  # noqa: B018
    assert OutboxEvent.objects.count() == 0
    assert EventDelivery.objects.count() == 0
    assert handlers["ok"].calls == []


def test_failing_handler_is_retried_alone_with_backoff(inline, handlers) -> None:
    before = timezone.now()
    event = _publish()
    flaky = EventDelivery.objects.get(event=event, handler__endswith="probe_flaky")
    assert (flaky.status, flaky.attempts, flaky.last_error) == ("failed", 1, "RuntimeError: boom 1")
    first_wait = (flaky.next_attempt_at - before).total_seconds()
    assert 8 <= first_wait <= 12.5  # 10 s ± 20 %
    assert events_due() == []  # not due yet: nothing runs early
    EventDelivery.objects.filter(pk=flaky.pk).update(next_attempt_at=timezone.now())
    assert events_due() == [event.pk]
    assert event_deliver(event_id=event.pk, due_only=True) == {"failed": 1}
    flaky.refresh_from_db()
    assert flaky.attempts == 2
    EventDelivery.objects.filter(pk=flaky.pk).update(next_attempt_at=timezone.now())
    assert event_deliver(event_id=event.pk, due_only=True) == {"succeeded": 1}
    flaky.refresh_from_db()
    assert (flaky.status, flaky.attempts, flaky.last_error) == ("succeeded", 3, "")
    assert len(handlers["flaky"].calls) == 3
    assert len(handlers["ok"].calls) == 1  # the handler that succeeded was never re-run


def test_backoff_doubles_and_is_capped(settings) -> None:
    settings.EVENT_RETRY_BASE_SECONDS = 10
    settings.EVENT_RETRY_MAX_SECONDS = 60
    waits = [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)]
    for wait, nominal in zip(waits, [10, 20, 40, 60, 60], strict=True):
        assert nominal * 0.8 <= wait <= nominal * 1.2


def test_dead_after_max_attempts_and_requeue(inline, settings) -> None:
    settings.EVENT_MAX_ATTEMPTS = 2
    always = Recorder(fail_times=99)
    func = _named(always, "probe_always")
    events.register("product.updated", func)
    try:
        event = _publish()
        delivery = EventDelivery.objects.get(event=event, handler=events.handler_name(func))
        EventDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        event_deliver(event_id=event.pk, due_only=True)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("dead", 2)
        assert delivery.last_error == "RuntimeError: boom 2"
        assert events_due() == []  # dead deliveries are left for a person
        assert delivery_requeue(delivery_ids=[delivery.pk]) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("pending", 0)
    finally:
        events.unregister("product.updated", func)


@pytest.mark.django_db  # not transactional: the commit hooks are captured, never run
def test_sweep_delivers_what_was_never_dispatched(
    inline, handlers, settings, django_capture_on_commit_callbacks
) -> None:
    """A process that died between commit and dispatch leaves pending rows for the sweep."""
    settings.EVENT_SWEEP_GRACE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        event = _publish()
    assert len(hooks) == 1  # the dispatch that "died"
    assert handlers["ok"].calls == []
    assert events_due() == [event.pk]
    event_deliver(event_id=event.pk, due_only=True)
    assert len(handlers["ok"].calls) == 1
    assert events_due() == []  # flaky failed and waits for its backoff
    assert EventDelivery.objects.get(handler__endswith="probe_flaky").status == "failed"


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("order.teleported", {}, "unknown event"),
        ("product.updated", {"product_id": 1}, "lacks"),
        ("product.updated", {**PAYLOAD, "price": Decimal("1.00")}, "JSON-safe"),
    ],
)
def test_bad_events_are_refused(name: str, payload: dict, message: str) -> None:
    with pytest.raises(EventError, match=message), transaction.atomic():
        publish(name, payload)
    assert OutboxEvent.objects.count() == 0


def test_publish_outside_a_transaction_is_refused() -> None:
    with pytest.raises(EventError, match=r"inside transaction\.atomic"):
        publish("product.updated", PAYLOAD)


def test_catalogue_lists_the_design_events() -> None:
    assert {
        "product.updated",
        "sku.stock_changed",
        "order.created",
        "order.paid",
        "order.packed",
        "order.shipped",
        "order.delivered",
        "order.completed",
        "order.cancelled",
        "order.refund_requested",
        "order.refunded",
        "live.started",
        "live.ended",
        "live.product_explained",
        "award.granted",
    } <= set(EVENTS)
    assert {"courier_code", "waybill_no"} <= set(EVENTS["order.shipped"].payload)


@pytest.mark.processes
def test_killed_worker_leaves_the_event_to_the_sweep(celery_worker, settings) -> None:
    from backend.common.tasks import events_sweep
    from tests.backend.common import event_probe

    settings.EVENT_SWEEP_GRACE_SECONDS = 0
    client = redis.Redis.from_url(settings.REDIS_URL)
    with transaction.atomic():
        event = publish("test.probe", {"probe_id": 1, "mode": "block-first"})
    started = event_probe.key("started", event.pk)
    deadline = time.monotonic() + 30
    while not client.get(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get(started), celery_worker.log()
    celery_worker.kill()  # mid-handler: its transaction never commits
    delivery = EventDelivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert client.get(event_probe.key("done", event.pk)) is None

    celery_worker.restart()
    assert events_sweep.delay().get(timeout=30) >= 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.status == "succeeded":
            break
        time.sleep(0.2)
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)
    assert int(client.get(event_probe.key("done", event.pk))) == 1


def test_admin_lists_dead_deliveries_and_requeues_them(inline, settings, admin_client) -> None:
    settings.EVENT_MAX_ATTEMPTS = 1
    flaky = Recorder(fail_times=1)
    func = _named(flaky, "probe_admin")
    events.register("product.updated", func)
    try:
        event = _publish()
        delivery = EventDelivery.objects.get(event=event, handler=events.handler_name(func))
        assert delivery.status == "dead"
        listing = admin_client.get("/admin/common/eventdelivery/?status__exact=dead")
        assert listing.status_code == 200
        assert "RuntimeError: boom 1" in listing.content.decode()
        response = admin_client.post(
            "/admin/common/eventdelivery/",
            {"action": "requeue", "_selected_action": [delivery.pk]},
            follow=True,
        )
        assert response.status_code == 200
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("succeeded", 1)
        assert len(flaky.calls) == 2
    finally:
        events.unregister("product.updated", func)
