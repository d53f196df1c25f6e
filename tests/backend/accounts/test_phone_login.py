"""Buyers sign up and log in by phone; codes travel through the real SMS sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backend.accounts.models import PhoneCode, User
from backend.accounts.roles import Role

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
    assert response.json()["error"]["message"] == "错误次数过多，请重新获取验证码。"
    assert not User.objects.filter(phone=PHONE).exists()
    # A burnt code frees the resend wait: a new code may be asked at once, and it works.
    assert _ask(client).status_code == 200
    assert _verify(client, sms.last_code(PHONE)).status_code == 200
    assert len(sms.messages(PHONE)) == 2


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


@pytest.mark.parametrize("phone", ["1391234567", "23912345678", "139123456789", "abc"])
def test_bad_phone_is_422(client: Client, sms, phone: str) -> None:
    response = _ask(client, phone)
    assert response.status_code == 422
    assert response.json()["error"]["extra"]["fields"] == [
        {
            "path": "body.payload.phone",
            "message": "请输入以 1 开头的 11 位手机号。",
            "type": "string_pattern_mismatch",
        }
    ]
    assert PhoneCode.objects.count() == 0


def _set_password(client: Client, code: str, password: str = "fresh-honey-2026"):
    return client.post(
        "/api/v1/auth/password/by-code",
        {"code": code, "new_password": password},
        content_type="application/json",
    )


def test_a_phone_buyer_sets_a_password_with_a_code(client: Client, sms) -> None:
    from django.core.cache import cache

    _ask(client)
    me = _verify(client, sms.last_code(PHONE)).json()
    assert (me["phone"], me["has_password"]) == (PHONE, False)
    cache.delete(f"phone-code:resend:{PHONE}")
    _ask(client)
    wrong = _set_password(client, "000000" if sms.last_code(PHONE) != "000000" else "111111")
    assert wrong.json()["error"]["code"] == "auth.code_invalid"
    assert not User.objects.get(phone=PHONE).has_usable_password()
    assert _set_password(client, sms.last_code(PHONE)).status_code == 204
    assert client.get("/api/v1/auth/me").json()["has_password"] is True  # still signed in
    user = User.objects.get(phone=PHONE)
    assert user.check_password("fresh-honey-2026")
    login = Client().post(
        "/api/v1/auth/login",
        {"username": user.username, "password": "fresh-honey-2026"},
        content_type="application/json",
    )
    assert login.status_code == 200
    # Once there is a password, a code no longer replaces it.
    cache.delete(f"phone-code:resend:{PHONE}")
    _ask(client)
    again = _set_password(client, sms.last_code(PHONE), "another-pass-2026")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "此账户已有密码，请用当前密码修改。"
    assert User.objects.get(phone=PHONE).check_password("fresh-honey-2026")


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.mark.parametrize(
    "make_account",
    [
        lambda make_user: make_user(Role.MERCHANT, phone=PHONE),
        lambda make_user: make_user(Role.OFFICE_STAFF, phone=PHONE, is_staff=True),
        lambda make_user: make_user(Role.BUYER, Role.STREAMER, phone=PHONE),
        lambda make_user: make_user(Role.BUYER, phone=PHONE, is_staff=True),
        lambda make_user: make_user(phone=PHONE),
    ],
    ids=["merchant", "office", "buyer-and-streamer", "staff-buyer", "no-role"],
)
def test_phone_login_is_for_buyers_only(client: Client, sms, make_user, make_account) -> None:
    account = make_account(make_user)
    _ask(client)
    code = sms.last_code(PHONE)
    wrong_answer = _verify(Client(), _wrong(code)).json()
    right_code = _verify(client, code)
    assert right_code.status_code == 400
    assert right_code.json() == wrong_answer  # the same answer as a wrong code
    assert client.get("/api/v1/auth/me").status_code == 401
    account.refresh_from_db()
    assert account.last_login is None
    assert User.objects.filter(phone=PHONE).count() == 1


def test_phone_login_respects_the_lock_out(client: Client, sms, settings) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.PHONE_CODE_MAX_ATTEMPTS = 5  # the address locks out before the code is used up
    _ask(client)
    code = sms.last_code(PHONE)
    here = {"REMOTE_ADDR": "10.0.0.66"}
    answers = [
        client.post(
            "/api/v1/auth/phone/login",
            {"phone": PHONE, "code": _wrong(code)},
            content_type="application/json",
            **here,
        ).status_code
        for _ in range(3)
    ]
    assert answers == [400, 400, 429]
    locked = client.post(
        "/api/v1/auth/phone/login",
        {"phone": PHONE, "code": code},
        content_type="application/json",
        **here,
    )
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert (error["code"], error["message"]) == (
        "auth.locked_out",
        "该地址登录失败次数过多，请 15 分钟后再试。",
    )
    assert not User.objects.filter(phone=PHONE).exists()
    assert PhoneCode.objects.get().attempts == 3  # the locked-out try did not touch the code
    elsewhere = Client().post(
        "/api/v1/auth/phone/login",
        {"phone": PHONE, "code": code},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.7",
    )
    assert elsewhere.status_code == 200


def _ask_from(phone: str, ip: str):
    return Client().post(
        "/api/v1/auth/phone/code", {"phone": phone}, content_type="application/json", REMOTE_ADDR=ip
    )


def test_code_sends_per_address_are_capped_per_day_across_numbers(sms, settings) -> None:
    settings.PHONE_CODE_SENDS_PER_IP_PER_DAY = 2
    phones = ["13900000001", "13900000002", "13900000003"]
    answers = [_ask_from(phone, "10.0.0.66") for phone in phones]
    assert [a.status_code for a in answers] == [200, 200, 429]
    error = answers[2].json()["error"]
    assert error["code"] == "auth.code_throttled"
    assert 0 < error["extra"]["retry_after"] <= 24 * 3600
    assert [len(sms.messages(phone)) for phone in phones] == [1, 1, 0]
    assert PhoneCode.objects.count() == 2
    assert _ask_from(phones[2], "10.0.0.7").status_code == 200


def test_code_sends_are_capped_per_day_across_all_numbers(sms, settings) -> None:
    settings.PHONE_CODE_SENDS_PER_DAY = 2
    phones = ["13900000001", "13900000002", "13900000003"]
    answers = [_ask_from(phone, f"10.0.0.{n}") for n, phone in enumerate(phones, start=1)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    error = answers[2].json()["error"]
    assert error["code"] == "sms.daily_limit"
    assert error["message"] == "今天的短信验证码已达上限，请明天再试，或用密码登录。"
    assert 0 < error["extra"]["retry_after"] <= 24 * 3600
    assert len(sms.messages(phones[2])) == 0
    assert PhoneCode.objects.count() == 2
