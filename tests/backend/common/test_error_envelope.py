"""Bad input always gets the envelope with a 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import Organisation
from backend.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "extra"}
    assert body["error"]["code"] == code
    return body["error"]


def test_malformed_json(client: Client) -> None:
    response = client.post("/api/v1/auth/login", data=b"{not json", content_type="application/json")
    _error(response, 400, "request.malformed_body")


def test_wrong_types_give_field_paths(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    response = client.post(
        "/api/v1/organisations",
        {"name": ["not", "a", "string"], "kind": "spaceship"},
        content_type="application/json",
    )
    error = _error(response, 422, "request.validation")
    paths = sorted(f["path"] for f in error["extra"]["fields"])
    assert paths == ["body.payload.kind", "body.payload.name"]
    assert Organisation.objects.count() == 0


def test_wrong_query_type(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    error = _error(client.get("/api/v1/organisations?limit=many"), 422, "request.validation")
    assert error["extra"]["fields"][0]["path"] == "query.limit"
    _error(client.get("/api/v1/organisations?limit=100000"), 422, "request.validation")


def test_unknown_ids_and_routes(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    _error(client.get("/api/v1/organisations/999999"), 404, "not_found")
    error = _error(client.get("/api/v1/organisations/not-a-number"), 422, "request.validation")
    assert error["extra"]["fields"][0]["path"] == "path.organisation_id"
    _error(client.get("/api/v1/no/such/thing"), 404, "not_found")
    response = client.post(
        "/api/v1/organisations/999999/members", {"user_id": 1}, content_type="application/json"
    )
    _error(response, 404, "not_found")


def test_oversize_body_is_413(client: Client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = b'{"username": "' + b"x" * 4096 + b'", "password": "p"}'
    response = client.post("/api/v1/auth/login", data=big, content_type="application/json")
    _error(response, 413, "request.too_large")


def test_duplicate_unique_field_is_422_not_500(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    payload = {"name": "甲", "kind": "enterprise", "credit_code": "91140521MA0K1234XY"}
    assert (
        client.post("/api/v1/organisations", payload, content_type="application/json").status_code
        == 201
    )
    again = client.post(
        "/api/v1/organisations", {**payload, "name": "乙"}, content_type="application/json"
    )
    error = _error(again, 422, "request.validation")
    assert error["extra"]["fields"][0]["path"] == "credit_code"
    assert Organisation.objects.count() == 1


def test_messages_are_chinese_first_and_english_on_request(client: Client) -> None:
    chinese = client.get("/api/v1/auth/me")
    assert chinese.json()["error"]["message"] == "请先登录。"
    english = client.get("/api/v1/auth/me", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "Please log in."
