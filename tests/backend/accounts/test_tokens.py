from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import ApiToken
from backend.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_token_shown_once_stored_hashed_and_revocable(make_user, login_as) -> None:
    client = login_as(make_user(Role.MERCHANT, username="script-owner"))
    created = client.post(
        "/api/v1/auth/tokens", {"name": "erp sync"}, content_type="application/json"
    )
    assert created.status_code == 201
    raw = created.json()["token"]
    row = ApiToken.objects.get()
    assert raw.startswith(f"qs_{row.prefix}_")
    assert raw not in row.token_hash and len(row.token_hash) == 64
    listed = client.get("/api/v1/auth/tokens").json()
    assert [t["name"] for t in listed] == ["erp sync"]
    assert "token" not in listed[0]

    bearer = Client()
    me = bearer.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["username"] == "script-owner"
    # A script's POST needs no CSRF token.
    assert (
        bearer.post(
            "/api/v1/auth/tokens",
            {"name": "second"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        ).status_code
        == 201
    )

    assert client.delete(f"/api/v1/auth/tokens/{row.pk}").status_code == 200
    revoked = bearer.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "auth.token_revoked"


def test_wrong_bearer_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer qs_deadbeef_nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.unauthenticated"


def test_cannot_revoke_someone_elses_token(make_user, login_as) -> None:
    owner = login_as(make_user(Role.MERCHANT))
    owner.post("/api/v1/auth/tokens", {"name": "mine"}, content_type="application/json")
    token = ApiToken.objects.get()
    thief = login_as(make_user(Role.MERCHANT))
    assert thief.delete(f"/api/v1/auth/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
