from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.accounts.roles import Role
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post(
        "/api/v1/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_me_without_login_is_401_envelope(client: Client) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    error = response.json()["error"]
    assert (error["code"], error["extra"]) == ("auth.unauthenticated", {})
    assert isinstance(error["message"], str) and error["message"]


def test_password_login_me_logout(client: Client, make_user) -> None:
    user = make_user(Role.MERCHANT, username="li")
    response = _login(client, "li", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["roles"] == ["merchant"]
    assert client.get("/api/v1/auth/me").json()["username"] == "li"
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_wrong_password_and_unknown_user_give_the_same_answer(client: Client, make_user) -> None:
    make_user(Role.MERCHANT, username="li")
    wrong = _login(client, "li", "nope")
    unknown = _login(client, "nobody", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "auth.invalid_credentials"


def test_password_change(client: Client, make_user) -> None:
    make_user(Role.STREAMER, username="zhao")
    _login(client, "zhao", PASSWORD)
    wrong = client.post(
        "/api/v1/auth/password",
        {"old_password": "bad", "new_password": "a-New-pass-2026"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "auth.invalid_credentials"
    weak = client.post(
        "/api/v1/auth/password",
        {"old_password": PASSWORD, "new_password": "12345678"},
        content_type="application/json",
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["code"] == "auth.password_invalid"
    ok = client.post(
        "/api/v1/auth/password",
        {"old_password": PASSWORD, "new_password": "a-New-pass-2026"},
        content_type="application/json",
    )
    assert ok.status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 200  # the session survives
    assert User.objects.get(username="zhao").check_password("a-New-pass-2026")


def test_unsafe_request_with_session_needs_csrf(make_user) -> None:
    make_user(Role.STREAMER, username="zhao")
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "zhao", PASSWORD).status_code == 200
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "auth.csrf_failed"
    token = client.get("/api/v1/config").json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", HTTP_X_CSRFTOKEN=token).status_code == 204
