"""Refunds leave the order's transaction: pending while the provider is unavailable, paid by
a task with bounded retries, settled once."""

from __future__ import annotations

import pytest

from backend.common.retry import backoff_seconds
from backend.orders.models import Order, Payment, Refund
from backend.orders.tasks import refund_send
from tests import probes
from tests.backend.orders.test_flow import _events, _post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_task_retries")]

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def requested(place, pay, skus, buyer_client):
    """A paid order of 2 honey with a refund requested; returns its id."""
    checkout = place([(skus["honey"], 2)])
    pay(checkout)
    order_id = checkout["orders"][0]["id"]
    _post(buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "不想要了"})
    return order_id


def test_provider_down_leaves_the_refund_pending_and_the_task_pays_it(
    requested, skus, seller_client, payments, settings
) -> None:
    sandbox = settings.PAYMENT_SANDBOX_URL
    settings.PAYMENT_SANDBOX_URL = CLOSED_PORT  # the provider is down
    approved = _post(seller_client, f"/api/v1/orders/seller/{requested}/refund/approve")
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["refund_status"]) == (
        "refund_requested",
        "pending",
    )
    refund = Refund.objects.get()
    assert (refund.status, refund.attempts, refund.last_error) == (
        "pending",
        1,
        "provider unavailable",
    )
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 8  # nothing given back yet
    assert _events(requested)[-1] == "order.refund_requested"
    rejected = _post(
        seller_client, f"/api/v1/orders/seller/{requested}/refund/reject", {"reason": "改主意"}
    )
    assert (rejected.status_code, rejected.json()["error"]["code"]) == (
        409,
        "order.refund_pending",
    )

    settings.PAYMENT_SANDBOX_URL = sandbox  # back up: the task's next try pays
    assert refund_send.apply(args=[refund.pk]).get() == "succeeded"
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.provider_refund_id != "") == (
        "succeeded",
        2,
        True,
    )
    order = Order.objects.get(pk=requested)
    assert order.status == "refunded"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert payments.payment(Payment.objects.get().provider_payment_id)["refunded_amount"] == (
        "136.00"
    )
    assert _events(requested)[-2:] == ["order.refund_requested", "order.refunded"]
    # Run twice (a redelivered task): nothing more happens.
    assert refund_send.apply(args=[refund.pk]).get() == "succeeded"
    assert _events(requested).count("order.refunded") == 1


def test_retries_are_bounded_then_the_refund_fails_and_staff_can_retry(
    requested, skus, seller_client, payments, settings
) -> None:
    settings.REFUND_MAX_RETRIES = 3
    refund_send.max_retries = 3
    try:
        sandbox = settings.PAYMENT_SANDBOX_URL
        settings.PAYMENT_SANDBOX_URL = CLOSED_PORT
        _post(seller_client, f"/api/v1/orders/seller/{requested}/refund/approve")
        refund = Refund.objects.get()
        assert refund_send.apply(args=[refund.pk]).get() == "failed"
    finally:
        refund_send.max_retries = 6
    refund.refresh_from_db()
    # One try at approval, then the task's first try and its three retries.
    assert (refund.status, refund.attempts, refund.last_error) == (
        "failed",
        5,
        "provider unavailable after 4 tries",
    )
    assert Order.objects.get(pk=requested).status == "refund_requested"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 8
    settings.PAYMENT_SANDBOX_URL = sandbox
    again = _post(seller_client, f"/api/v1/orders/seller/{requested}/refund/approve")
    assert (again.json()["status"], again.json()["refund_status"]) == ("refunded", "succeeded")


@pytest.mark.parametrize("retries", range(8))
def test_backoff_is_exponential_bounded_and_jittered(retries: int) -> None:
    ceiling = min(1800, 30 * 2**retries)
    waits = {backoff_seconds(retries, base=30, cap=1800) for _ in range(50)}
    assert all(ceiling / 2 <= w <= ceiling for w in waits)
    assert len(waits) > 1


def test_the_provider_is_called_outside_the_orders_transaction(
    place, pay, skus, buyer_client, seller_client, payments, settings
) -> None:
    settings.PAYMENT_PROVIDER = "tests.probes.ProbePaymentProvider"
    checkout = place([(skus["honey"], 1)])
    pay(checkout)
    order_id = checkout["orders"][0]["id"]
    _post(buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "坏了"})
    probes.CALLS.clear()
    approved = _post(seller_client, f"/api/v1/orders/seller/{order_id}/refund/approve")
    assert approved.json()["status"] == "refunded"
    assert probes.CALLS == [("refund", probes.transaction_depth())]  # the test's own only
