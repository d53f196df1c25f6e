"""Buyers sign up and log in by phone; codes travel through the real SMS sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backend.accounts.models import PhoneCode, User

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _ask(client: Client, phone: str = PHONE):
    return client.post("/api/v1/auth/phone/code", {"phone": phone}, content_type="application/json")


def _verify(client: Client, code: str, phone: str = PHONE):
    return client.post(
        "/api/v1/auth/phone/login", {"phone": phone, "code": code}, content_type="application/json"
    )


def test_right_code_signs_up_a_buyer_once(client: Client, sms) -> None:
    sent = _ask(client)
    assert sent.status_code == 200
    assert sent.json()["sent"] is True
    code = sms.last_code(PHONE)
    assert code not in PhoneCode.objects.get().code_hash
    me = _verify(client, code)
    assert me.status_code == 200
    assert me.json()["roles"] == ["buyer"]
    assert me.json()["phone_masked"] == "139****5678"
    assert client.get("/api/v1/auth/me").status_code == 200
    # The code is single use.
    assert _verify(Client(), code).json()["error"]["code"] == "auth.code_invalid"
    assert User.objects.filter(phone=PHONE).count() == 1


def test_returning_buyer_gets_the_same_account(client: Client, sms) -> None:
    _ask(client)
    first = _verify(client, sms.last_code(PHONE)).json()["id"]
    from django.core.cache import cache

    cache.delete(f"phone-code:resend:{PHONE}")
    _ask(client)
    second = _verify(Client(), sms.last_code(PHONE)).json()["id"]
    assert first == second
    assert User.objects.filter(phone=PHONE).count() == 1


def test_each_code_is_fresh(client: Client, sms) -> None:
    from django.core.cache import cache

    codes = set()
    for _ in range(5):
        cache.delete(f"phone-code:resend:{PHONE}")
        assert _ask(client).status_code == 200
        codes.add(sms.last_code(PHONE))
    assert len(sms.messages(PHONE)) == 5
    assert len(codes) >= 4  # 6 random digits: a repeat among five is ~1e-5
    # Only the newest code is live.
    assert PhoneCode.objects.filter(phone=PHONE, used_at__isnull=True).count() == 1


def test_wrong_code_is_refused_and_counted(client: Client, sms) -> None:
    _ask(client)
    right = sms.last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    response = _verify(client, wrong)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "auth.code_invalid"
    assert PhoneCode.objects.get().attempts == 1
    assert not User.objects.filter(phone=PHONE).exists()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_too_many_wrong_codes_burn_the_code(client: Client, sms, settings) -> None:
    settings.PHONE_CODE_MAX_ATTEMPTS = 2
    _ask(client)
    right = sms.last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    _verify(client, wrong)
    _verify(client, wrong)
    response = _verify(client, right)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "auth.code_expired"
    assert not User.objects.filter(phone=PHONE).exists()


def test_expired_code_is_refused(client: Client, sms) -> None:
    _ask(client)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _verify(client, sms.last_code(PHONE))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "auth.code_expired"
    assert not User.objects.filter(phone=PHONE).exists()


def test_resend_is_throttled(client: Client, sms) -> None:
    assert _ask(client).status_code == 200
    again = _ask(client)
    assert again.status_code == 429
    assert again.json()["error"]["code"] == "auth.code_throttled"
    assert 0 < again.json()["error"]["extra"]["retry_after"] <= 60
    assert again["Retry-After"] == str(again.json()["error"]["extra"]["retry_after"])
    assert len(sms.messages(PHONE)) == 1
    assert PhoneCode.objects.count() == 1


def test_sms_outage_stores_nothing_and_allows_a_retry(client: Client, sms) -> None:
    sms.fail_next(1)
    response = _ask(client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms.unavailable"
    assert PhoneCode.objects.count() == 0
    assert _ask(client).status_code == 200  # the throttle was not taken by the failure
    assert PhoneCode.objects.count() == 1


@pytest.mark.parametrize("phone", ["1391234567", "23912345678", "139123456789", "abc"])
def test_bad_phone_is_422(client: Client, sms, phone: str) -> None:
    response = _ask(client, phone)
    assert response.status_code == 422
    assert response.json()["error"]["extra"]["fields"][0]["path"] == "body.payload.phone"
    assert PhoneCode.objects.count() == 0
