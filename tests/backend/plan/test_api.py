"""The plan API: read-only, any signed-in user, values as strings."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.plan.models import Target

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "key": "programme",
    "name": "示范项目实施期",
    "start": "2021-09-01",
    "end": "2023-12-31",
    "section": "五",
}


@pytest.fixture
def client(make_user, login_as) -> Client:
    return login_as(make_user())


@pytest.mark.parametrize(
    "url", ["/api/v1/plan/targets", "/api/v1/plan/targets/central-fund", "/api/v1/plan/periods"]
)
def test_anonymous_callers_get_401(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.unauthenticated"


def test_targets_list(client: Client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/plan/targets").json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (25, 50, 0, 25)
    assert body["items"][0] == {
        "key": "township-stations",
        "name": "乡镇电商服务站",
        "wording": "建设 12 个乡（镇）电商服务站",
        "unit": "个",
        "comparison": "exactly",
        "value": "12.00",
        "cadence": "total",
        "period": PROGRAMME,
        "document": "沁政办发〔2022〕15号",
        "section": "三（一）1（2）",
    }


def test_one_target_by_key_with_money_as_a_string(client: Client) -> None:
    response = client.get("/api/v1/plan/targets/central-fund")
    assert response.status_code == 200
    assert response.json() == {
        "key": "central-fund",
        "name": "中央资金支持",
        "wording": "2021年电子商务进农村综合示范项目中央资金支持1500万元",
        "unit": "元",
        "comparison": "exactly",
        "value": "15000000.00",
        "cadence": "total",
        "period": PROGRAMME,
        "document": "沁政办发〔2022〕15号",
        "section": "四",
    }


def test_an_unknown_key_is_a_404_envelope(client: Client) -> None:
    response = client.get("/api/v1/plan/targets/no-such-target")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["extra"] == {}
    assert "no-such-target" in body["error"]["message"]


def test_periods_list(client: Client) -> None:
    body = client.get("/api/v1/plan/periods").json()
    assert body["total"] == 5
    assert body["items"][0] == PROGRAMME
    assert [p["key"] for p in body["items"]] == [
        "programme",
        "launch",
        "rollout",
        "evaluation",
        "wrap-up",
    ]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/plan/targets"),
        ("put", "/api/v1/plan/targets/central-fund"),
        ("patch", "/api/v1/plan/targets/central-fund"),
        ("delete", "/api/v1/plan/targets/central-fund"),
        ("post", "/api/v1/plan/periods"),
    ],
)
def test_the_plan_is_read_only(client: Client, method: str, url: str) -> None:
    payload = {"key": "central-fund", "value": "1.00"}
    response = getattr(client, method)(url, payload, content_type="application/json")
    assert response.status_code == 405
    assert Target.objects.get(key="central-fund").value == 15000000
    assert Target.objects.count() == 25
