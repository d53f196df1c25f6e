"""Password logins (the API and the admin alike) lock out an account *from one address*
after repeated failures, say for how long, and staff can lift the lock; every auth endpoint
is also throttled per address."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.accounts.roles import Role
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER, MERCHANT_OFFICE = "10.0.0.66", "10.0.0.7"


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60


def _login(client: Client, username: str, password: str, ip: str):
    return client.post(
        "/api/v1/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _admin_login(client: Client, username: str, password: str, ip: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_failures_lock_the_account_from_that_address_only(make_user) -> None:
    make_user(Role.MERCHANT, username="li")
    make_user(Role.MERCHANT, username="wang")
    attacker = Client()
    assert [_login(attacker, "li", "bad", ATTACKER).status_code for _ in range(2)] == [401, 401]
    third = _login(attacker, "li", "bad", ATTACKER)
    assert third.status_code == 429
    locked = _login(attacker, "li", PASSWORD, ATTACKER)  # even the right password
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "auth.locked_out"
    assert error["message"] == "该地址登录失败次数过多，请 15 分钟后再试。"
    assert 14 * 60 < error["extra"]["retry_after"] <= 15 * 60
    assert locked["Retry-After"] == str(error["extra"]["retry_after"])
    assert attacker.get("/api/v1/auth/me", REMOTE_ADDR=ATTACKER).status_code == 401
    # The real merchant, elsewhere, is not locked out; nor is another account at that address.
    assert _login(Client(), "li", PASSWORD, MERCHANT_OFFICE).status_code == 200
    assert _login(Client(), "wang", PASSWORD, ATTACKER).status_code == 200


def test_the_admin_login_counts_and_locks_with_the_api(make_user) -> None:
    make_user(Role.PLATFORM_ADMIN, username="boss", is_staff=True)
    attacker = Client()
    assert _admin_login(attacker, "boss", "bad", ATTACKER).status_code == 200  # the form again
    assert _login(attacker, "boss", "bad", ATTACKER).status_code == 401
    third = _admin_login(attacker, "boss", "bad", ATTACKER)
    assert third.status_code == 429
    locked = _admin_login(attacker, "boss", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "该地址登录失败次数过多，请 15 分钟后再试。" in locked.content.decode()
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60
    assert attacker.get("/admin/", REMOTE_ADDR=ATTACKER).status_code == 302  # not logged in
    assert _login(attacker, "boss", PASSWORD, ATTACKER).status_code == 429
    assert _admin_login(Client(), "boss", PASSWORD, MERCHANT_OFFICE).status_code == 302


def test_success_before_the_limit_starts_the_count_again(make_user) -> None:
    make_user(Role.MERCHANT, username="li")
    client = Client()
    for _ in range(2):
        assert _login(client, "li", "bad", ATTACKER).status_code == 401
    assert _login(client, "li", PASSWORD, ATTACKER).status_code == 200
    for _ in range(2):
        assert _login(client, "li", "bad", ATTACKER).status_code == 401
    assert _login(client, "li", PASSWORD, ATTACKER).status_code == 200


def test_staff_unlock_an_account_in_the_user_admin(make_user) -> None:
    make_user(Role.MERCHANT, username="li")
    for _ in range(3):
        _login(Client(), "li", "bad", MERCHANT_OFFICE)
    assert _login(Client(), "li", PASSWORD, MERCHANT_OFFICE).status_code == 429
    admin = Client()
    admin.force_login(make_user(Role.PLATFORM_ADMIN, username="boss", is_staff=True))
    listing = admin.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert "li" in listing.content.decode()
    li = User.objects.get(username="li")
    done = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_logins", "_selected_action": [li.pk]},
        follow=True,
    )
    assert done.status_code == 200
    assert "已为 1 个用户解除登录锁定。" in done.content.decode()
    assert _login(Client(), "li", PASSWORD, MERCHANT_OFFICE).status_code == 200


def test_office_staff_see_users_but_cannot_unlock(make_user) -> None:
    make_user(Role.MERCHANT, username="li")
    for _ in range(3):
        _login(Client(), "li", "bad", MERCHANT_OFFICE)
    office = Client()
    office.force_login(make_user(Role.OFFICE_STAFF, is_staff=True))
    listing = office.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert b"unlock_logins" not in listing.content
    li = User.objects.get(username="li")
    office.post("/admin/accounts/user/", {"action": "unlock_logins", "_selected_action": [li.pk]})
    assert _login(Client(), "li", PASSWORD, MERCHANT_OFFICE).status_code == 429


@pytest.mark.parametrize(
    ("url", "setting", "body"),
    [
        ("/api/v1/auth/login", "AUTH_LOGIN_RATE", {"username": "x", "password": "y"}),
        ("/api/v1/auth/phone/code", "AUTH_PHONE_CODE_RATE", {"phone": "1391234567"}),
        ("/api/v1/auth/phone/login", "AUTH_PHONE_LOGIN_RATE", {"phone": "1", "code": "1"}),
    ],
)
def test_auth_endpoints_are_throttled_per_address(settings, url, setting, body) -> None:
    # Per hour: the windows are fixed, and a minute's window once ended between the second
    # and the third request (the third then met the account lockout instead).
    setattr(settings, setting, "2/h")
    client = Client()

    def post(ip: str, **extra: str):
        return client.post(url, body, content_type="application/json", REMOTE_ADDR=ip, **extra)

    assert [post(ATTACKER).status_code for _ in range(2)] != [429, 429]
    # A forged X-Forwarded-For does not make a new address (no proxy is trusted by default).
    refused = post(ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert 0 < error["extra"]["retry_after"] <= 3600
    assert post(MERCHANT_OFFICE).status_code != 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(settings) -> None:
    settings.AUTH_LOGIN_RATE = "1/m"
    settings.TRUSTED_PROXY_HOPS = 1
    client = Client()

    def post(forwarded: str):
        return client.post(
            "/api/v1/auth/login",
            {"username": "x", "password": "y"},
            content_type="application/json",
            REMOTE_ADDR="172.18.0.5",  # the front nginx
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert post(f"192.0.2.1, {ATTACKER}").status_code == 401
    assert post(f"192.0.2.2, {ATTACKER}").status_code == 429  # spoofed left part: same client
    assert post(MERCHANT_OFFICE).status_code == 401


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_the_lockout_answer_under_daphne(daphne_server: str) -> None:
    """The ASGI path of the lock-out middleware gives the same answer as the in-process one."""
    import requests

    from tests.factories.accounts import UserFactory

    UserFactory(roles=[Role.MERCHANT], username="asgi-li")
    url = f"{daphne_server}/api/v1/auth/login"
    session = requests.Session()
    session.get(f"{daphne_server}/api/v1/config", timeout=10)
    answers = [
        session.post(url, json={"username": "asgi-li", "password": "bad"}, timeout=10)
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    locked = session.post(url, json={"username": "asgi-li", "password": PASSWORD}, timeout=10)
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "auth.locked_out"
    assert error["message"] == "该地址登录失败次数过多，请 15 分钟后再试。"
    assert 14 * 60 < error["extra"]["retry_after"] <= 15 * 60
