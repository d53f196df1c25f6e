"""The geo API: read-only registry and the resolver, for any signed-in user."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from backend.geo.models import SAMPLE_NAME_MARK, Township, Village
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db

DUANSHI = {"code": "140521103", "name": "端氏镇", "is_dissolved": False}


@pytest.fixture
def client(make_user, login_as) -> Client:
    return login_as(make_user())


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/geo/townships"),
        ("get", "/api/v1/geo/villages"),
        ("post", "/api/v1/geo/resolve"),
    ],
)
def test_anonymous_callers_get_401(method: str, url: str) -> None:
    response = getattr(Client(), method)(url, {"text": "端氏镇"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.unauthenticated"


def test_townships_list_shape(client: Client) -> None:
    body = client.get("/api/v1/geo/townships").json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (14, 50, 0, 14)
    assert body["items"][0] == {
        "id": Township.objects.get(code="140521100").pk,
        "code": "140521100",
        "name": "龙港镇",
        "kind": "town",
        "aliases": ["龙港"],
        "is_dissolved": False,
        "dissolved_year": None,
        "note": "县城所在地。",
    }
    suzhuang = next(t for t in body["items"] if t["code"] == "140521203")
    assert (suzhuang["kind"], suzhuang["is_dissolved"], suzhuang["dissolved_year"]) == (
        "township",
        True,
        2021,
    )


def test_villages_filtered_by_township_and_paginated(client: Client) -> None:
    duanshi = Township.objects.get(code="140521103")
    first = VillageFactory(township=duanshi, code="140521103201", name="端氏村", formerly_poor=True)
    VillageFactory(township=duanshi, code="140521103202", name="河北村")
    VillageFactory(township=Township.objects.get(code="140521104"), code="140521104201")

    body = client.get("/api/v1/geo/villages?township=140521103&limit=1").json()

    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 0)
    assert body["items"] == [
        {
            "id": first.pk,
            "code": "140521103201",
            "name": "端氏村",
            "township": DUANSHI,
            "formerly_poor": True,
            "is_sample": False,
        }
    ]
    page_two = client.get("/api/v1/geo/villages?township=140521103&limit=1&offset=1").json()
    assert [v["code"] for v in page_two["items"]] == ["140521103202"]
    assert client.get("/api/v1/geo/villages").json()["total"] == 3
    assert client.get("/api/v1/geo/villages?township=140521999").json()["total"] == 0


def test_a_malformed_township_filter_is_422(client: Client) -> None:
    response = client.get("/api/v1/geo/villages?township=端氏镇")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "request.validation"
    assert response.json()["error"]["extra"]["fields"][0]["path"] == "query.township"


def test_village_list_query_count_is_flat(client: Client, django_assert_max_num_queries) -> None:
    for township in Township.objects.filter(is_dissolved=False):
        VillageFactory.create_batch(3, township=township)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/geo/villages?limit=200").json()
    assert (body["total"], len(body["items"])) == (36, 36)


def test_resolve_matched(client: Client) -> None:
    VillageFactory(
        township=Township.objects.get(code="140521103"), code="140521103201", name="端氏村"
    )
    response = client.post(
        "/api/v1/geo/resolve", {"text": "沁水县端氏镇端氏村"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    del body["message"]
    assert body == {
        "status": "matched",
        "township": DUANSHI,
        "village": {"code": "140521103201", "name": "端氏村", "is_sample": False},
        "township_match": "contained",
        "village_match": "exact",
        "candidates": [],
    }


def test_resolve_ambiguous_lists_candidates(client: Client) -> None:
    VillageFactory(
        township=Township.objects.get(code="140521103"), code="140521103202", name="河北村"
    )
    VillageFactory(
        township=Township.objects.get(code="140521104"), code="140521104201", name="河北村"
    )
    body = client.post(
        "/api/v1/geo/resolve", {"text": "河北村"}, content_type="application/json"
    ).json()
    assert (body["status"], body["township"], body["village"]) == ("ambiguous", None, None)
    assert body["candidates"] == [
        {
            "township": DUANSHI,
            "village": {"code": "140521103202", "name": "河北村", "is_sample": False},
        },
        {
            "township": {"code": "140521104", "name": "嘉峰镇", "is_dissolved": False},
            "village": {"code": "140521104201", "name": "河北村", "is_sample": False},
        },
    ]


def test_resolve_dissolved(client: Client) -> None:
    body = client.post(
        "/api/v1/geo/resolve", {"text": "樊村河乡"}, content_type="application/json"
    ).json()
    assert (body["status"], body["township"], body["village"], body["candidates"]) == (
        "dissolved",
        {"code": "140521200", "name": "樊村河乡", "is_dissolved": True},
        None,
        [],
    )


def test_resolve_refuses_empty_and_overlong_text(client: Client) -> None:
    for text in ("", "村" * 201):
        response = client.post(
            "/api/v1/geo/resolve", {"text": text}, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["error"]["extra"]["fields"][0]["path"] == "body.payload.text"


def test_the_registry_is_read_only_over_the_api(client: Client) -> None:
    assert (
        client.post("/api/v1/geo/townships", {}, content_type="application/json").status_code == 405
    )
    assert (
        client.post("/api/v1/geo/villages", {}, content_type="application/json").status_code == 405
    )
    assert Township.objects.count() == 14


def test_demo_villages_are_labelled_samples_and_load_idempotently() -> None:
    call_command("demo_load")
    call_command("demo_load")
    samples = list(Village.objects.filter(is_sample=True).values_list("code", "name"))
    assert samples == [
        ("990521100001", "龙港示例社区（示例）"),
        ("990521103001", "端氏示例村（示例）"),
        ("990521103002", "河畔示例村（示例）"),
        ("990521104001", "嘉峰示例村（示例）"),
    ]
    assert Village.objects.count() == 4
    assert all(SAMPLE_NAME_MARK in name for _code, name in samples)
