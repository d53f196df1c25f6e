"""Expiring unpaid orders closes their payment at the provider first: an unreachable provider
holds back only the checkouts it must close, and the beat task retries with bounded backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.orders.models import Order, Payment
from backend.orders.payments import PaymentUnavailable
from backend.orders.services_payment import orders_expire_unpaid
from backend.orders.tasks import orders_expire_unpaid as expire_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_task_retries")]

CLOSED_PORT = "http://127.0.0.1:9"


def test_an_unreachable_provider_holds_back_only_its_checkouts(
    place, skus, payments, settings
) -> None:
    with_payment = place([(skus["honey"], 3)])["orders"][0]["id"]
    sandbox = settings.PAYMENT_SANDBOX_URL
    settings.PAYMENT_SANDBOX_URL = CLOSED_PORT
    without_payment = place([(skus["honey"], 2)])  # the provider was down: pay later
    assert without_payment["pay_url"] is None
    Order.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(PaymentUnavailable):
        orders_expire_unpaid()
    assert Order.objects.get(pk=without_payment["orders"][0]["id"]).status == "cancelled"
    assert Order.objects.get(pk=with_payment).status == "created"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 7

    expire_task.max_retries = 2
    try:
        assert expire_task.apply().get() == 0  # still down: gave up after its retries
    finally:
        expire_task.max_retries = 3
    assert Order.objects.get(pk=with_payment).status == "created"

    settings.PAYMENT_SANDBOX_URL = sandbox
    assert expire_task.apply().get() == 1
    assert Order.objects.get(pk=with_payment).status == "cancelled"
    assert Payment.objects.get().status == "closed"
    assert payments.payment(Payment.objects.get().provider_payment_id)["status"] == "closed"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
