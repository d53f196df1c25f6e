"""A counter sale end to end with each payment kind, through the HTTP API: orders through
the order flow (one per merchant, offline_shop, completed at once, no consignee), units
from the shelf, the shop's discount rule; refusals before payment change nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.catalog.models import StockEntry
from backend.offline_shop.models import QrPayment
from backend.offline_shop.services_sale import qr_payments_expire
from backend.orders.models import Order, Payment
from tests.backend.offline_shop.conftest import events, paid_notice, sell, shelf_of

pytestmark = pytest.mark.django_db


def test_a_cash_sale_of_two_merchants_with_the_shops_discount(
    cashier_client, shop, stocked, shift
) -> None:
    honey, millet = stocked["honey"], stocked["millet"]
    response = sell(cashier_client, shop, [(honey, 2), (millet, 2)])
    assert response.status_code == 201, response.content
    receipt = response.json()
    # 136.00 + 99.80 = 235.80 ≥ 200: 5 % off, 11.79, split by goods: 6.80 and 4.99.
    assert (receipt["payment_kind"], receipt["total_amount"]) == ("counter_cash", "224.01")
    assert [
        (o["seller"], o["goods_amount"], o["discount_amount"], o["paid_amount"], o["status"])
        for o in receipt["orders"]
    ] == [
        ("蜂业合作社", "136.00", "6.80", "129.20", "completed"),
        ("小米合作社", "99.80", "4.99", "94.81", "completed"),
    ]
    orders = list(Order.objects.order_by("id"))
    assert {(o.source_kind, o.payment_kind, o.consignee_name, o.address) for o in orders} == {
        ("offline_shop", "counter_cash", "", "")
    }
    assert [list(o.timeline.values_list("to_status", flat=True)) for o in orders] == [
        ["created", "paid", "completed"]
    ] * 2
    honey.refresh_from_db()
    millet.refresh_from_db()
    assert (honey.stock, millet.stock) == (5, 4)  # online stock untouched
    assert (shelf_of(shop, honey), shelf_of(shop, millet)) == (3, 2)
    taken = StockEntry.objects.filter(reason="reservation").order_by("sku_id")
    assert list(taken.values_list("sku_id", "location_id", "delta", "stock_after", "ref")) == [
        (honey.pk, shop.shelf_id, -2, 3, orders[0].number),
        (millet.pk, shop.shelf_id, -2, 2, orders[1].number),
    ]
    assert [e["order_id"] for e in events("order.completed")] == [o.pk for o in orders]
    assert {ln.stock_location_id for o in orders for ln in o.lines.all()} == {shop.shelf_id}


def test_a_card_sale_and_the_same_key_sells_once(cashier_client, shop, stocked, shift) -> None:
    key = uuid.uuid4().hex
    first = sell(cashier_client, shop, [(stocked["honey"], 1)], kind="counter_card", key=key)
    again = sell(cashier_client, shop, [(stocked["honey"], 1)], kind="counter_card", key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert first.json()["total_amount"] == "68.00"
    assert list(Order.objects.values_list("payment_kind", "paid_amount")) == [("counter_card", 68)]
    assert shelf_of(shop, stocked["honey"]) == 4


def _qr(client, shop, items):
    return client.post(
        f"/api/v1/shop-counter/shops/{shop.pk}/qr",
        {
            "idempotency_key": uuid.uuid4().hex,
            "items": [{"sku_id": s.pk, "quantity": q} for s, q in items],
        },
        content_type="application/json",
    )


def test_a_qr_sale_is_made_when_the_provider_says_paid(
    cashier_client, client, shop, stocked, shift, payments
) -> None:
    started = _qr(cashier_client, shop, [(stocked["honey"], 1), (stocked["millet"], 1)])
    assert started.status_code == 201, started.content
    assert (started.json()["status"], started.json()["amount"]) == ("pending", "117.90")
    assert Order.objects.count() == 0
    qr = QrPayment.objects.get()
    notice = paid_notice(payments, qr.provider_payment_id)
    told = client.post("/api/v1/shop-counter/qr-notify", notice, content_type="application/json")
    assert (told.status_code, told.content) == (200, b"success")
    again = client.post("/api/v1/shop-counter/qr-notify", notice, content_type="application/json")
    assert again.status_code == 200
    status = cashier_client.get(f"/api/v1/shop-counter/qr/{qr.pk}").json()
    assert status["status"] == "paid" and status["receipt"]
    assert set(Order.objects.values_list("payment_kind", "status")) == {("provider", "completed")}
    assert Order.objects.count() == 2
    payment = Payment.objects.get()
    assert (payment.status, payment.provider_payment_id, str(payment.amount)) == (
        "paid",
        qr.provider_payment_id,
        "117.90",
    )
    assert (shelf_of(shop, stocked["honey"]), shelf_of(shop, stocked["millet"])) == (4, 3)


def test_a_qr_payment_given_up_makes_no_order(
    cashier_client, shop, stocked, shift, payments
) -> None:
    started = _qr(cashier_client, shop, [(stocked["honey"], 1)]).json()
    closed = cashier_client.post(f"/api/v1/shop-counter/qr/{started['id']}/cancel")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert payments.payment(QrPayment.objects.get().provider_payment_id)["status"] == "closed"
    assert (Order.objects.count(), shelf_of(shop, stocked["honey"])) == (0, 5)


def test_a_qr_payment_left_waiting_is_closed_by_the_sweep(
    cashier_client, shop, stocked, shift, payments
) -> None:
    late = _qr(cashier_client, shop, [(stocked["honey"], 1)]).json()
    fresh = _qr(cashier_client, shop, [(stocked["millet"], 1)]).json()
    QrPayment.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert qr_payments_expire(older_than_s=300) == 1
    states = dict(QrPayment.objects.values_list("pk", "status"))
    assert (states[late["id"]], states[fresh["id"]]) == ("closed", "pending")
    late_remote = QrPayment.objects.get(pk=late["id"]).provider_payment_id
    assert payments.payment(late_remote)["status"] == "closed"
    assert qr_payments_expire(older_than_s=300) == 0
    assert (Order.objects.count(), shelf_of(shop, stocked["honey"])) == (0, 5)


def test_a_qr_payment_with_the_provider_down_keeps_nothing(
    cashier_client, shop, stocked, shift, payments, settings
) -> None:
    settings.PAYMENT_SANDBOX_URL = "http://127.0.0.1:9"
    response = _qr(cashier_client, shop, [(stocked["honey"], 1)])
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment.unavailable"
    assert (QrPayment.objects.count(), Order.objects.count()) == (0, 0)


def test_refused_before_payment_changes_nothing(
    cashier_client, shop, stocked, skus, shift, sellers
) -> None:
    from tests.factories.catalog import SkuFactory

    elsewhere = SkuFactory(stock=3)
    not_on_shelf = sell(cashier_client, shop, [(stocked["honey"], 1), (elsewhere, 1)])
    assert not_on_shelf.status_code == 422
    assert not_on_shelf.json()["error"]["code"] == "shop.not_on_shelf"
    assert not_on_shelf.json()["error"]["extra"] == {"sku_ids": [elsewhere.pk]}
    short = sell(cashier_client, shop, [(stocked["millet"], 5)])
    assert short.status_code == 409
    assert short.json()["error"]["extra"] == {"sku_id": stocked["millet"].pk, "wanted": 5,
                                              "left": 4}  # fmt: skip
    lookup = cashier_client.get(f"/api/v1/shop-counter/shops/{shop.pk}/shelf?code=NOPE")
    assert lookup.json()["error"]["code"] == "shop.not_on_shelf"
    found = cashier_client.get(f"/api/v1/shop-counter/shops/{shop.pk}/shelf?code=6901234567892")
    assert [(i["outer_id"], i["quantity"]) for i in found.json()] == [("H-500", 5)]
    assert (Order.objects.count(), shelf_of(shop, stocked["millet"])) == (0, 4)


def test_no_sale_without_an_open_shift_nor_for_others(
    cashier_client, buyer_client, shop, stocked
) -> None:
    response = sell(cashier_client, shop, [(stocked["honey"], 1)])
    assert (response.status_code, response.json()["error"]["code"]) == (409, "shop.no_open_shift")
    assert sell(buyer_client, shop, [(stocked["honey"], 1)]).status_code == 403


def test_a_qr_paid_after_the_shelf_emptied_is_paid_back_and_makes_no_order(
    cashier_client, client, shop, stocked, shift, payments
) -> None:
    _qr(cashier_client, shop, [(stocked["millet"], 4)])
    assert sell(cashier_client, shop, [(stocked["millet"], 4)]).status_code == 201
    qr = QrPayment.objects.get()
    notice = paid_notice(payments, qr.provider_payment_id)
    told = client.post("/api/v1/shop-counter/qr-notify", notice, content_type="application/json")
    assert told.status_code == 200
    qr.refresh_from_db()
    assert (qr.status, qr.receipt_id) == ("failed", None)
    assert payments.payment(qr.provider_payment_id)["refunded_amount"] == "199.60"
    assert list(Order.objects.values_list("payment_kind", flat=True)) == ["counter_cash"]
