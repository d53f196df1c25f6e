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
        "/api/v1/organisations/999999/members", {"username": "x"}, content_type="application/json"
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


def test_every_validation_error_type_has_a_chinese_sentence() -> None:
    from typing import get_args

    from django.utils import translation
    from pydantic_core.core_schema import ErrorType

    from backend.common.validation_messages import MESSAGES, PATTERNS

    assert set(get_args(ErrorType)) <= set(MESSAGES)
    with translation.override("zh-hans"):
        untranslated = [
            kind
            for kind, text in [*MESSAGES.items(), *PATTERNS.items()]
            if not any("\u4e00" <= ch <= "\u9fff" for ch in str(text))
        ]
    assert untranslated == []


def test_field_errors_are_sentences_with_their_paths(make_user, login_as) -> None:
    client = login_as(make_user(Role.BUYER))
    response = client.post(
        "/api/v1/orders/checkouts",
        {
            "idempotency_key": "short",
            "items": [{"sku_id": 1, "quantity": 0}],
            "consignee": {"name": "", "phone": "12345", "address": "沁水"},
            "remark": "x" * 201,
        },
        content_type="application/json",
    )
    error = _error(response, 422, "request.validation")
    assert error["message"] == "部分字段不合法。"
    assert [(f["path"], f["message"]) for f in error["extra"]["fields"]] == [
        ("body.payload.idempotency_key", "至少需要 8 个字符。"),
        ("body.payload.items.0.quantity", "不能小于 1。"),
        ("body.payload.consignee.name", "请填写此项。"),
        ("body.payload.consignee.phone", "请输入以 1 开头的 11 位手机号。"),
        ("body.payload.consignee.address", "至少需要 4 个字符。"),
        ("body.payload.remark", "最多 200 个字符。"),
    ]
    english = client.post(
        "/api/v1/orders/checkouts",
        {"idempotency_key": "short"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["error"]["extra"]["fields"][0] == {
        "path": "body.payload.idempotency_key",
        "message": "Enter at least 8 characters.",
        "type": "string_too_short",
    }


def test_our_validators_speak_chinese_too(make_user, login_as) -> None:
    client = login_as(make_user(Role.MERCHANT))
    response = client.post(
        "/api/v1/catalog/products",
        {"title": "沁水蜂蜜", "category_id": 1, "skus": [{"spec_text": "500g", "price": 39.9}]},
        content_type="application/json",
    )
    fields = {
        f["path"]: f["message"]
        for f in _error(response, 422, "request.validation")["extra"]["fields"]
    }
    assert fields["body.payload.skus.0.price"] == '金额请以元为单位的文本提交，如 "39.90"。'


@pytest.mark.parametrize("offset", [10**6 + 1, 2**63, 10**30])
def test_huge_offset_is_422(make_user, login_as, offset: int) -> None:
    """Fuzz-found: an offset past what the database takes answered 409."""
    client = login_as(make_user(Role.OFFICE_STAFF))
    error = _error(client.get(f"/api/v1/organisations?offset={offset}"), 422, "request.validation")
    assert [f["path"] for f in error["extra"]["fields"]] == ["query.offset"]


def test_largest_offset_is_an_empty_page(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    response = client.get(f"/api/v1/organisations?offset={10**6}")
    assert response.status_code == 200
    assert (response.json()["items"], response.json()["offset"]) == ([], 10**6)


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("q=%00", "query.q"),
        ("q=a%00b", "query.q"),
    ],
    ids=["nul", "nul-inside"],
)
def test_nul_in_a_query_is_422(client: Client, query: str, path: str) -> None:
    """Fuzz-found: PostgreSQL's text cannot hold NUL; the query failed with a 500."""
    error = _error(client.get(f"/api/v1/shop/products?{query}"), 422, "request.validation")
    assert [f["path"] for f in error["extra"]["fields"]] == [path]


def test_nul_in_a_path_is_422(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    error = _error(client.get("/api/v1/plan/targets/a%00b"), 422, "request.validation")
    assert error["extra"] == {"fields": []}


def test_nul_in_a_body_is_422_and_nothing_is_stored(make_user, login_as) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    response = client.post(
        "/api/v1/organisations",
        {"name": "甲\u0000乙", "kind": "enterprise"},
        content_type="application/json",
    )
    error = _error(response, 422, "request.validation")
    assert error["extra"]["fields"] == [
        {"path": "body.name", "message": "文本中不能含有 NUL 字符。", "type": "nul"}
    ]
    assert Organisation.objects.count() == 0
