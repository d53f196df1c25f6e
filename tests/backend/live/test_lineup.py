"""The line-up and 讲解 through the API: cards, one explanation at a time, server times."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from backend.accounts.roles import Role
from backend.common.models import OutboxEvent
from backend.live.models import Explanation, LineupItem
from tests.backend.live.conftest import post

pytestmark = pytest.mark.django_db


def _add(client, sid: int, sku, price: str, position: int = 0):
    body = {"sku_id": sku.pk, "live_price": price, "position": position}
    return post(client, f"/sessions/{sid}/lineup", body)


def _card(client, sid: int, item_id: int, state: str):
    return client.patch(
        f"/api/v1/live/sessions/{sid}/lineup/{item_id}", {"state": state},
        content_type="application/json",
    )  # fmt: skip


@pytest.fixture
def cards(client_of, verified, live_now, on_sale_skus):
    client = client_of(verified)
    sid = live_now["id"]
    honey = _add(client, sid, on_sale_skus["honey"], "59.90", 1).json()
    millet = _add(client, sid, on_sale_skus["millet"], "39.90", 2).json()
    for item in (honey, millet):
        assert _card(client, sid, item["id"], "listed").status_code == 200
    return sid, honey, millet


def test_the_line_up_holds_skus_on_sale_with_live_prices(
    client_of, verified, live_now, on_sale_skus
) -> None:
    client = client_of(verified)
    sid = live_now["id"]
    added = _add(client, sid, on_sale_skus["honey"], "59.90", 1)
    assert added.status_code == 201
    assert {k: added.json()[k] for k in ("title", "live_price", "position", "state")} == {
        "title": "刺槐蜂蜜", "live_price": "59.90", "position": 1, "state": "hidden",
    }  # fmt: skip
    duplicate = _add(client, sid, on_sale_skus["honey"], "58.00")
    assert (duplicate.status_code, duplicate.json()["error"]["code"]) == (
        409, "live.lineup_duplicate",
    )  # fmt: skip
    draft = _add(client, sid, on_sale_skus["draft"], "9.00")
    assert (draft.status_code, draft.json()["error"]["code"]) == (422, "live.lineup_sku_invalid")
    assert LineupItem.objects.count() == 1


def test_explain_start_and_end_are_the_servers_times(client_of, verified, cards) -> None:
    sid, honey, _millet = cards
    client = client_of(verified)
    before = timezone.now()
    started = post(client, f"/sessions/{sid}/lineup/{honey['id']}/explain")
    after = timezone.now()
    assert started.status_code == 200
    at = datetime.fromisoformat(started.json()["started_at"])
    assert before <= at <= after
    assert started.json()["ended_at"] is None
    ended = post(client, f"/sessions/{sid}/explain/end").json()
    assert datetime.fromisoformat(ended["ended_at"]) >= at
    event = OutboxEvent.objects.get(name="live.product_explained").payload
    assert event == {
        "session_id": sid,
        "explanation_id": started.json()["id"],
        "product_id": honey["product_id"],
        "sku_id": honey["sku_id"],
        "live_price": "59.90",
        "at": Explanation.objects.get().started_at.isoformat(),
    }
    states = [i["state"] for i in client.get(f"/api/v1/live/sessions/{sid}/lineup").json()]
    assert states == ["listed", "listed"]


def test_one_product_is_explained_at_a_time(client_of, verified, cards) -> None:
    sid, honey, millet = cards
    client = client_of(verified)
    first = post(client, f"/sessions/{sid}/lineup/{honey['id']}/explain").json()
    second = post(client, f"/sessions/{sid}/lineup/{millet['id']}/explain").json()
    rows = client.get(f"/api/v1/live/sessions/{sid}/explanations").json()
    assert [(r["id"], r["item_id"]) for r in rows] == [
        (first["id"], honey["id"]), (second["id"], millet["id"]),
    ]  # fmt: skip
    first_end, second_start = (
        datetime.fromisoformat(rows[i][k]) for i, k in ((0, "ended_at"), (1, "started_at"))
    )
    assert first_end <= second_start
    assert rows[1]["ended_at"] is None
    states = {i["id"]: i["state"] for i in client.get(f"/api/v1/live/sessions/{sid}/lineup").json()}
    assert states == {honey["id"]: "listed", millet["id"]: "explaining"}
    assert OutboxEvent.objects.filter(name="live.product_explained").count() == 2
    # sold out ends the explanation of that card
    assert _card(client, sid, millet["id"], "sold_out").json()["state"] == "sold_out"
    assert Explanation.objects.filter(ended_at__isnull=True).count() == 0


def test_hidden_cards_and_rehearsals_are_not_explained(
    client_of, verified, new_session, live_now, on_sale_skus
) -> None:
    client = client_of(verified)
    sid = live_now["id"]
    hidden = _add(client, sid, on_sale_skus["honey"], "59.90").json()
    refused = post(client, f"/sessions/{sid}/lineup/{hidden['id']}/explain")
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "live.explain_not_listed",
    )
    later = new_session(verified, title="明天的直播")
    item = _add(client, later["id"], on_sale_skus["millet"], "39.90").json()
    _card(client, later["id"], item["id"], "listed")
    refused = post(client, f"/sessions/{later['id']}/lineup/{item['id']}/explain")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "live.explain_not_live")
    assert Explanation.objects.count() == 0


def test_assistants_run_the_line_up_outsiders_and_the_office_do_not(
    client_of, verified, office, make_user, cards
) -> None:
    sid, honey, _millet = cards
    helper = make_user(Role.STREAMER, username="zhongkong")
    post(client_of(verified), f"/sessions/{sid}/assistants", {"username": "zhongkong"})
    assert (
        post(client_of(helper), f"/sessions/{sid}/lineup/{honey['id']}/explain").status_code == 200
    )
    assert post(client_of(office), f"/sessions/{sid}/explain/end").status_code == 403
    outsider = make_user(Role.STREAMER)
    assert post(client_of(outsider), f"/sessions/{sid}/explain/end").status_code == 404
    assert Explanation.objects.get().ended_at is None
