"""A login code's SMS leaves the database transaction; while the gateway is unavailable a
task retries with bounded backoff, then frees the resend interval."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import PhoneCode, User
from backend.accounts.tasks import phone_code_deliver
from tests import probes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_task_retries")]

PHONE = "13912345678"


def _ask(client: Client):
    return client.post("/api/v1/auth/phone/code", {"phone": PHONE}, content_type="application/json")


def test_an_outage_answers_not_sent_and_the_task_delivers_a_fresh_code(client: Client, sms) -> None:
    sms.fail_next(1)
    response = _ask(client)
    assert response.status_code == 200
    assert response.json() == {"sent": False, "expires_in": 300, "resend_in": 60}
    assert sms.messages(PHONE) == []
    assert PhoneCode.objects.filter(used_at__isnull=True).count() == 0  # never usable
    assert _ask(client).status_code == 429  # the task is on it: no second send meanwhile
    assert phone_code_deliver.apply(args=[PHONE]).get() == "sent"
    assert len(sms.messages(PHONE)) == 1
    login = client.post(
        "/api/v1/auth/phone/login",
        {"phone": PHONE, "code": sms.last_code(PHONE)},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    assert User.objects.filter(phone=PHONE).count() == 1


def test_retries_are_bounded_then_the_person_may_ask_again(client: Client, sms) -> None:
    sms.fail_next(100)
    phone_code_deliver.max_retries = 2
    try:
        assert _ask(client).json()["sent"] is False
        assert phone_code_deliver.apply(args=[PHONE]).get() == "failed"
    finally:
        phone_code_deliver.max_retries = 3
    # The request's try, then the task's first try and its two retries: four codes, none live.
    assert PhoneCode.objects.count() == 4
    assert PhoneCode.objects.filter(used_at__isnull=True).count() == 0
    assert sms.messages(PHONE) == []
    sms.fail_next(0)
    again = _ask(client)
    assert (again.status_code, again.json()["sent"]) == (200, True)
    assert len(sms.messages(PHONE)) == 1


def test_the_sms_is_sent_outside_the_codes_transaction(client: Client, sms, settings) -> None:
    settings.SMS_PROVIDER = "tests.probes.ProbeSmsProvider"
    probes.CALLS.clear()
    assert _ask(client).json()["sent"] is True
    assert probes.CALLS == [("sms", probes.transaction_depth())]  # the test's own only
