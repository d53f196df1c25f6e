"""Returns at the counter with the receipt (units back to the shelf, money back by the
sale's own kind), refusals that change nothing, and the shift close."""

from __future__ import annotations

import pytest

from backend.catalog.models import StockEntry
from backend.offline_shop.models import QrPayment, ShiftClose
from backend.orders.models import Order, Refund
from tests.backend.offline_shop.conftest import events, paid_notice, sell, shelf_of

pytestmark = pytest.mark.django_db


def _return(client, number, lines, reason="口味不合适"):
    return client.post(
        f"/api/v1/shop-counter/receipts/{number}/returns",
        {"lines": [{"line_id": i, "quantity": q} for i, q in lines], "reason": reason},
        content_type="application/json",
    )


def _line_ids(receipt):
    return [line["line_id"] for order in receipt["orders"] for line in order["lines"]]


def test_a_cash_return_in_part_then_the_rest(cashier_client, shop, stocked, shift) -> None:
    receipt = sell(cashier_client, shop, [(stocked["honey"], 2), (stocked["millet"], 2)]).json()
    honey_line, _millet_line = _line_ids(receipt)
    first = _return(cashier_client, receipt["number"], [(honey_line, 1)])
    assert first.status_code == 201, first.content
    # One of two honey jars of an order paid 129.20 for 136.00 of goods: 64.60 back.
    assert first.json()["amount"] == "64.60"
    honey_order = Order.objects.get(seller=stocked["honey"].seller)
    assert (honey_order.status, str(honey_order.refunded_amount)) == ("completed", "64.60")
    assert shelf_of(shop, stocked["honey"]) == 4
    back = StockEntry.objects.filter(reason="return")
    assert list(back.values_list("location_id", "delta", "stock_after", "ref")) == [
        (shop.shelf_id, 1, 4, honey_order.number)
    ]
    rest = _return(cashier_client, receipt["number"], [(honey_line, 1)])
    assert rest.json()["amount"] == "64.60"
    honey_order.refresh_from_db()
    assert (honey_order.status, str(honey_order.refunded_amount)) == ("refunded", "129.20")
    assert [(r.provider, str(r.amount), r.status) for r in Refund.objects.order_by("id")] == [
        ("counter_cash", "64.60", "succeeded"),
        ("counter_cash", "64.60", "succeeded"),
    ]
    assert [e["amount_refunded"] for e in events("order.refunded")] == ["64.60", "64.60"]
    assert [e["status"] for e in events("order.refunded")] == ["completed", "refunded"]


def test_a_return_beyond_what_was_sold_or_of_another_receipt_is_refused(
    cashier_client, shop, stocked, shift
) -> None:
    one = sell(cashier_client, shop, [(stocked["honey"], 1)]).json()
    other = sell(cashier_client, shop, [(stocked["millet"], 1)]).json()
    (honey_line,) = _line_ids(one)
    (millet_line,) = _line_ids(other)
    too_many = _return(cashier_client, one["number"], [(honey_line, 2)])
    assert too_many.status_code == 422
    assert too_many.json()["error"]["extra"] == {"line_id": honey_line, "left": 1, "wanted": 2}
    foreign = _return(cashier_client, one["number"], [(millet_line, 1)])
    assert foreign.json()["error"]["code"] == "shop.return_invalid"
    unknown = _return(cashier_client, "SP-NONE", [(honey_line, 1)])
    assert unknown.status_code == 404
    assert (Refund.objects.count(), StockEntry.objects.filter(reason="return").count()) == (0, 0)
    assert shelf_of(shop, stocked["honey"]) == 4


def test_a_qr_sale_is_paid_back_through_the_provider(
    cashier_client, client, shop, stocked, shift, payments
) -> None:
    import uuid

    cashier_client.post(
        f"/api/v1/shop-counter/shops/{shop.pk}/qr",
        {"idempotency_key": uuid.uuid4().hex,
         "items": [{"sku_id": stocked["millet"].pk, "quantity": 1}]},
        content_type="application/json",
    )  # fmt: skip
    qr = QrPayment.objects.get()
    notice = paid_notice(payments, qr.provider_payment_id)
    client.post("/api/v1/shop-counter/qr-notify", notice, content_type="application/json")
    qr.refresh_from_db()
    receipt = cashier_client.get(f"/api/v1/shop-counter/receipts/{qr.receipt.number}").json()
    (line,) = _line_ids(receipt)
    response = _return(cashier_client, qr.receipt.number, [(line, 1)])
    assert response.status_code == 201, response.content
    refund = Refund.objects.get()
    assert (refund.provider, str(refund.amount), refund.provider_refund_id[:4]) == (
        "provider", "49.90", "rfd_"
    )  # fmt: skip
    assert payments.payment(qr.provider_payment_id)["refunded_amount"] == "49.90"
    assert Order.objects.get().status == "refunded"
    assert shelf_of(shop, stocked["millet"]) == 4


def _close(client, shift_id, cash, card="0.00", qr="0.00", reason=""):
    return client.post(
        f"/api/v1/shop-counter/shifts/{shift_id}/close",
        {"counted": {"counter_cash": cash, "counter_card": card, "provider": qr},
         "reason": reason},
        content_type="application/json",
    )  # fmt: skip


def test_a_shift_close_with_a_difference_once(cashier_client, shop, stocked, shift) -> None:
    sell(cashier_client, shop, [(stocked["honey"], 1)])  # cash 68.00
    sold = sell(cashier_client, shop, [(stocked["millet"], 1)], kind="counter_card").json()
    (line,) = _line_ids(sold)
    _return(cashier_client, sold["number"], [(line, 1)])  # card 49.90 back
    current = cashier_client.get(f"/api/v1/shop-counter/shops/{shop.pk}/shift").json()
    assert current["expected"] == {
        "counter_cash": "168.00", "counter_card": "0.00", "provider": "0.00"
    }  # fmt: skip
    no_reason = _close(cashier_client, shift["id"], "165.00")
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["code"] == "shop.shift_difference_reason"
    assert ShiftClose.objects.count() == 0
    closed = _close(cashier_client, shift["id"], "165.00", reason="找零多给 3 元")
    assert closed.status_code == 201, closed.content
    assert closed.json()["takings"]["counter_cash"] == {
        "expected": "168.00", "counted": "165.00", "difference": "-3.00"
    }  # fmt: skip
    assert (closed.json()["difference"], closed.json()["reason"]) == ("-3.00", "找零多给 3 元")
    twice = _close(cashier_client, shift["id"], "168.00")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "shop.shift_closed")
    assert ShiftClose.objects.count() == 1
    after = sell(cashier_client, shop, [(stocked["honey"], 1)])
    assert after.json()["error"]["code"] == "shop.no_open_shift"
