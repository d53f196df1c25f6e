"""The promotions API: the console creates a coupon for its session, a viewer claims it and
buys from the room at the live price with it; strangers get 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.promotions import gate
from backend.promotions.models import Coupon, FlashSale
from tests.backend.orders.conftest import checkout_body

pytestmark = pytest.mark.django_db

COUPON = {
    "name": "直播专享 满 50 减 8",
    "kind": "amount",
    "amount_off": "8.00",
    "threshold": "50.00",
    "total_quantity": 5,
    "claim_minutes": 10,
}


def _flash(console, lineup, sku, *, price: str, quantity: int) -> dict:
    body = {"sku_id": sku.pk, "price": price, "quantity": quantity, "minutes": 5}
    path = f"/api/v1/promotions/sessions/{lineup.pk}/flash-sales"
    answer = console.post(path, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_console_coupon_claimed_and_spent_in_the_room(
    login_as, streamer, buyer, lineup, skus, payments
) -> None:
    made = login_as(streamer).post(
        f"/api/v1/promotions/sessions/{lineup.pk}/coupons", COUPON, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    coupon = made.json()
    assert (coupon["left"], coupon["claimed"], coupon["amount_off"]) == (5, 0, "8.00")
    viewer = login_as(buyer)
    grant = viewer.post(f"/api/v1/promotions/coupons/{coupon['id']}/claim").json()
    assert viewer.get(f"/api/v1/promotions/sessions/{lineup.pk}/coupons").json()[0]["left"] == 4
    assert [g["id"] for g in viewer.get("/api/v1/promotions/my-coupons").json()] == [grant["id"]]
    body = {
        **checkout_body([(skus["honey"], 1)]),
        "grant_ids": [grant["id"]],
        "session_id": lineup.pk,
    }
    placed = viewer.post("/api/v1/promotions/checkouts", body, content_type="application/json")
    assert placed.status_code == 201, placed.content
    order = placed.json()["orders"][0]
    assert (order["goods_amount"], order["paid_amount"], order["source_kind"]) == (
        "59.00",
        "51.00",
        "live",
    )
    assert placed.json()["pay_url"]
    assert viewer.get("/api/v1/promotions/my-coupons").json() == []


def test_a_stranger_cannot_make_coupons_for_a_session(login_as, buyer, lineup) -> None:
    answer = login_as(buyer).post(
        f"/api/v1/promotions/sessions/{lineup.pk}/coupons", COUPON, content_type="application/json"
    )
    assert answer.status_code == 404
    assert Coupon.objects.count() == 0


def test_a_scripted_buyer_meets_the_per_account_limit_before_the_gate(
    login_as, streamer, buyer, lineup, skus, payments, settings
) -> None:
    settings.FLASH_RATE_PER_ACCOUNT = 2
    console = login_as(streamer)
    sale = console.post(
        f"/api/v1/promotions/sessions/{lineup.pk}/flash-sales",
        {"sku_id": skus["honey"].pk, "price": "39.90", "quantity": 5, "minutes": 5},
        content_type="application/json",
    ).json()
    viewer = login_as(buyer)
    answers = [
        viewer.post(
            f"/api/v1/promotions/flash-sales/{sale['id']}/buy",
            {"idempotency_key": f"tap-{n}-key", "consignee": checkout_body([])["consignee"]},
            content_type="application/json",
        )
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 409, 429]
    assert answers[0].json()["orders"][0]["paid_amount"] == "39.90"
    assert answers[1].json()["error"]["code"] == "promotions.flash_over_cap"
    assert answers[2].json()["error"]["code"] == "promotions.flash_too_fast"
    assert FlashSale.objects.get().sold == 1


def test_many_accounts_from_one_address_meet_the_per_address_limit(
    login_as, streamer, make_user, lineup, skus, payments, settings
) -> None:
    settings.FLASH_RATE_PER_ADDRESS = 2
    sale = _flash(login_as(streamer), lineup, skus["honey"], price="39.90", quantity=5)
    body = {"consignee": checkout_body([])["consignee"]}
    codes = []
    for n, address in enumerate(["203.0.113.7", "203.0.113.7", "203.0.113.7", "198.51.100.9"]):
        viewer = login_as(make_user(username=f"script{n}"))
        answer = viewer.post(f"/api/v1/promotions/flash-sales/{sale['id']}/buy",
                             {**body, "idempotency_key": f"script-{n}-key"},
                             content_type="application/json", REMOTE_ADDR=address)  # fmt: skip
        codes.append(answer.status_code)
    assert codes == [201, 201, 429, 201]
    assert FlashSale.objects.get().sold == 3


def test_sold_out_is_answered_without_the_database_and_a_stranger_must_sign_in(
    client, login_as, streamer, buyer, lineup, skus, payments, django_assert_num_queries
) -> None:
    sale = _flash(login_as(streamer), lineup, skus["millet"], price="29.90", quantity=1)
    buy = f"/api/v1/promotions/flash-sales/{sale['id']}/buy"
    body = {"idempotency_key": "stranger-1", "consignee": checkout_body([])["consignee"]}
    stranger = client.post(buy, body, content_type="application/json")
    assert stranger.status_code == 401
    viewer = login_as(buyer)
    assert viewer.post(buy, {**body, "idempotency_key": "buyer-key-1"},
                       content_type="application/json").status_code == 201  # fmt: skip
    with django_assert_num_queries(0):
        late = client.post(buy, body, content_type="application/json")
    assert (late.status_code, late.json()["error"]["code"]) == (409, "promotions.flash_sold_out")
    assert late.json()["error"]["message"] == "已抢光。"
    english = client.post(buy, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "Sold out."


def test_the_console_stops_claims_and_ends_a_flash_sale_and_a_stranger_cannot(
    login_as, streamer, buyer, lineup, skus, payments, django_capture_on_commit_callbacks
) -> None:
    console = login_as(streamer)
    coupon = console.post(f"/api/v1/promotions/sessions/{lineup.pk}/coupons", COUPON,
                          content_type="application/json").json()  # fmt: skip
    flash_body = {"sku_id": skus["millet"].pk, "price": "29.90", "quantity": 5, "minutes": 5}
    sale = console.post(f"/api/v1/promotions/sessions/{lineup.pk}/flash-sales", flash_body,
                        content_type="application/json").json()  # fmt: skip
    stop, end = (f"/api/v1/promotions/coupons/{coupon['id']}/stop",
                 f"/api/v1/promotions/flash-sales/{sale['id']}/end")  # fmt: skip
    viewer = login_as(buyer)
    assert [viewer.post(stop).status_code, viewer.post(end).status_code] == [404, 404]
    assert Coupon.objects.get().claim_ends_at > timezone.now()
    assert FlashSale.objects.get().ends_at > timezone.now()
    stopped = console.post(stop)
    with django_capture_on_commit_callbacks(execute=True):
        ended = console.post(end)
    assert (stopped.status_code, ended.status_code) == (200, 200)
    assert console.post(stop).json()["claim_ends_at"] == stopped.json()["claim_ends_at"]
    assert console.post(end).json()["ends_at"] == ended.json()["ends_at"]
    claim = viewer.post(f"/api/v1/promotions/coupons/{coupon['id']}/claim")
    assert claim.json()["error"]["code"] == "promotions.coupon_not_claimable"
    body = {"idempotency_key": "after-the-end", "consignee": checkout_body([])["consignee"]}
    late = viewer.post(f"/api/v1/promotions/flash-sales/{sale['id']}/buy", body,
                       content_type="application/json")  # fmt: skip
    assert (late.status_code, late.json()["error"]["code"]) == (409, "promotions.flash_not_open")
    gate.client().delete(gate._keys(sale["id"])[0])  # Redis lost: the rebuild keeps it closed
    again = viewer.post(f"/api/v1/promotions/flash-sales/{sale['id']}/buy",
                        {**body, "idempotency_key": "after-the-flush"},
                        content_type="application/json")  # fmt: skip
    assert again.json()["error"]["code"] == "promotions.flash_not_open"
    assert (FlashSale.objects.get().sold, Coupon.objects.get().claimed_count) == (0, 0)
