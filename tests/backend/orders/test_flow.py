"""The state machine through the API: every legal move, an illegal one, refunds, expiry."""

from __future__ import annotations

import hashlib
import hmac
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from backend.accounts.roles import Role
from backend.common.models import OutboxEvent
from backend.orders.models import Order, Payment, PaymentNotice, Refund
from backend.orders.services_payment import orders_expire_unpaid

pytestmark = pytest.mark.django_db


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _events(order_id):
    return [
        e.name
        for e in OutboxEvent.objects.filter(name__startswith="order.").order_by("id")
        if e.payload["order_id"] == order_id
    ]


def test_every_legal_move_publishes_its_event_once(
    place, pay, skus, buyer_client, seller_client
) -> None:
    checkout = place([(skus["honey"], 1)])
    order_id = checkout["orders"][0]["id"]
    seller = f"/api/v1/orders/seller/{order_id}"
    early = _post(seller_client, f"{seller}/pack")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "order.illegal_transition"
    assert early.json()["error"]["extra"] == {"from": "created", "to": "packed"}
    pay(checkout)
    assert _post(seller_client, f"{seller}/pack").json()["status"] == "packed"
    shipped = _post(
        seller_client, f"{seller}/ship", {"courier_code": "ZTO", "waybill_no": "ABC123"}
    )
    assert shipped.status_code == 200
    # Not a ZTO-looking number: a warning (in Chinese), not a refusal.
    assert shipped.json()["warnings"] == ["ABC123 看起来不像中通快递的运单号，请再核对一下。"]
    assert (shipped.json()["order"]["courier_code"], shipped.json()["order"]["waybill_no"]) == (
        "ZTO",
        "ABC123",
    )
    mine = buyer_client.get(f"/api/v1/orders/mine/{order_id}").json()
    assert (mine["status"], mine["courier_name"], mine["waybill_no"]) == (
        "shipped",
        "中通快递",
        "ABC123",
    )
    done = _post(buyer_client, f"/api/v1/orders/mine/{order_id}/confirm-receipt")
    assert done.json()["status"] == "completed"
    assert [t["to_status"] for t in done.json()["timeline"]] == [
        "created",
        "paid",
        "packed",
        "shipped",
        "delivered",
        "completed",
    ]
    assert _events(order_id) == [
        "order.created",
        "order.paid",
        "order.packed",
        "order.shipped",
        "order.delivered",
        "order.completed",
    ]
    shipped_event = OutboxEvent.objects.get(name="order.shipped")
    assert (shipped_event.payload["courier_code"], shipped_event.payload["waybill_no"]) == (
        "ZTO",
        "ABC123",
    )
    again = _post(buyer_client, f"/api/v1/orders/mine/{order_id}/cancel")
    assert again.status_code == 409


def test_good_waybill_has_no_warning_and_unknown_courier_is_refused(
    place, pay, skus, seller_client
) -> None:
    checkout = place([(skus["honey"], 1)])
    pay(checkout)
    url = f"/api/v1/orders/seller/{checkout['orders'][0]['id']}"
    _post(seller_client, f"{url}/pack")
    unknown = _post(
        seller_client, f"{url}/ship", {"courier_code": "NOPE", "waybill_no": "12345678"}
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "order.courier_unknown")
    assert Order.objects.get().status == "packed"
    ok = _post(
        seller_client, f"{url}/ship", {"courier_code": "SF", "waybill_no": "SF1234567890123"}
    )
    assert ok.json()["warnings"] == []


def test_cancel_releases_stock(place, skus, buyer_client) -> None:
    checkout = place([(skus["honey"], 4)])
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 6
    order_id = checkout["orders"][0]["id"]
    assert (
        _post(buyer_client, f"/api/v1/orders/mine/{order_id}/cancel").json()["status"]
        == "cancelled"
    )
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert _events(order_id) == ["order.created", "order.cancelled"]


def test_refund_before_shipping_returns_money_and_stock(
    place, pay, skus, buyer_client, seller_client, payments
) -> None:
    checkout = place([(skus["honey"], 2)])
    pay(checkout)
    order_id = checkout["orders"][0]["id"]
    asked = _post(
        buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "不想要了"}
    )
    assert asked.json()["status"] == "refund_requested"
    approved = _post(seller_client, f"/api/v1/orders/seller/{order_id}/refund/approve")
    assert approved.json()["status"] == "refunded"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    refund = Refund.objects.get()
    assert (refund.amount, refund.out_refund_no) == (
        refund.order.paid_amount,
        f"RF{refund.order.number}",
    )
    remote = payments.payment(Payment.objects.get().provider_payment_id)
    assert remote["refunded_amount"] == "136.00"
    assert _events(order_id)[-2:] == ["order.refund_requested", "order.refunded"]


def test_refund_after_shipping_keeps_stock_and_reject_goes_back(
    place, pay, skus, buyer_client, seller_client
) -> None:
    checkout = place([(skus["honey"], 2)])
    pay(checkout)
    order_id = checkout["orders"][0]["id"]
    url = f"/api/v1/orders/seller/{order_id}"
    _post(seller_client, f"{url}/pack")
    _post(seller_client, f"{url}/ship", {"courier_code": "SF", "waybill_no": "SF1234567890123"})
    _post(buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "破损"})
    rejected = _post(seller_client, f"{url}/refund/reject", {"reason": "请提供照片"})
    assert (rejected.json()["status"], rejected.json()["refund_reject_reason"]) == (
        "shipped",
        "请提供照片",
    )
    _post(
        buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "破损，附照片"}
    )
    assert _post(seller_client, f"{url}/refund/approve").json()["status"] == "refunded"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 8  # the goods left: no stock comes back
    # One order.shipped: the rejection publishes its own event, never the status's again.
    assert _events(order_id) == [
        "order.created",
        "order.paid",
        "order.packed",
        "order.shipped",
        "order.refund_requested",
        "order.refund_rejected",
        "order.refund_requested",
        "order.refunded",
    ]


def test_refund_rejection_is_a_move_of_the_state_machine(
    place, pay, skus, buyer_client, seller_client
) -> None:
    checkout = place([(skus["honey"], 1)])
    pay(checkout)
    order_id = checkout["orders"][0]["id"]
    _post(buyer_client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": "拍错了"})
    rejected = _post(
        seller_client, f"/api/v1/orders/seller/{order_id}/refund/reject", {"reason": "已备货"}
    )
    assert rejected.status_code == 200
    assert [(t["from_status"], t["to_status"], t["note"]) for t in rejected.json()["timeline"]][
        -2:
    ] == [("paid", "refund_requested", "拍错了"), ("refund_requested", "paid", "已备货")]
    assert _events(order_id) == [
        "order.created",
        "order.paid",
        "order.refund_requested",
        "order.refund_rejected",
    ]
    event = OutboxEvent.objects.get(name="order.refund_rejected")
    assert (event.payload["order_id"], event.payload["status"], event.payload["reason"]) == (
        order_id,
        "paid",
        "已备货",
    )
    again = _post(
        seller_client, f"/api/v1/orders/seller/{order_id}/refund/reject", {"reason": "再拒"}
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "order.illegal_transition")
    assert _events(order_id)[-1] == "order.refund_rejected"
    # The order goes on from where it was.
    assert _post(seller_client, f"/api/v1/orders/seller/{order_id}/pack").json()["status"] == (
        "packed"
    )


def test_unpaid_order_expires_and_releases_stock(place, skus, payments) -> None:
    checkout = place([(skus["honey"], 3)])
    Order.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert orders_expire_unpaid() == 1
    order = Order.objects.get()
    assert order.status == "cancelled"
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert payments.payment(checkout["pay_url"].rsplit("/", 1)[-1])["status"] == "closed"
    assert Payment.objects.get().status == "closed"
    assert orders_expire_unpaid() == 0


def test_not_yet_expired_orders_stay(place, skus) -> None:
    place([(skus["honey"], 1)])
    assert orders_expire_unpaid() == 0
    assert Order.objects.get().status == "created"


def _resign(body: dict, secret: str = "qinshui-demo-secret") -> dict:
    """An independent signer: sorted k=v of non-empty values except sign, HMAC-SHA256."""
    text = "&".join(f"{k}={body[k]}" for k in sorted(body) if k != "sign" and body[k] != "")
    return {**body, "sign": hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()}


def test_replayed_forged_and_wrong_amount_notices(place, pay, skus, client) -> None:
    checkout = place([(skus["honey"], 1)])
    body = pay(checkout)
    order_id = checkout["orders"][0]["id"]
    replay = client.post("/api/v1/payments/notify", body, content_type="application/json")
    assert (replay.status_code, replay.content) == (200, b"success")
    forged = client.post(
        "/api/v1/payments/notify", {**body, "amount": "0.01"}, content_type="application/json"
    )
    assert forged.status_code == 400
    assert forged.json()["error"]["code"] == "payment.notice_invalid"
    wrong = client.post(
        "/api/v1/payments/notify",
        _resign({**body, "amount": "0.01"}),
        content_type="application/json",
    )
    assert wrong.status_code == 400
    wrong_secret = client.post(
        "/api/v1/payments/notify", _resign(body, "not-the-secret"), content_type="application/json"
    )
    assert wrong_secret.status_code == 400
    assert _events(order_id) == ["order.created", "order.paid"]
    assert list(PaymentNotice.objects.order_by("id").values_list("outcome", flat=True)) == [
        "paid",
        "duplicate",
        "bad_signature",
        "mismatch",
        "bad_signature",
    ]
    assert Payment.objects.get().status == "paid"


def test_owner_and_role_checks(place, skus, make_user, login_as, seller_client) -> None:
    checkout = place([(skus["honey"], 1), (skus["millet"], 1)])
    by_seller = {o["seller_name"]: o["id"] for o in checkout["orders"]}
    honey, millet = by_seller["蜂业合作社"], by_seller["小米合作社"]
    other_buyer = login_as(make_user(Role.BUYER))
    assert other_buyer.get(f"/api/v1/orders/mine/{honey}").status_code == 404
    assert other_buyer.get("/api/v1/orders/seller").status_code == 403
    assert seller_client.get(f"/api/v1/orders/seller/{millet}").status_code == 404
    listed = seller_client.get("/api/v1/orders/seller").json()
    assert [o["id"] for o in listed["items"]] == [honey]
    assert listed["items"][0]["consignee_phone"] == "139****5678"
    office = login_as(make_user(Role.OFFICE_STAFF))
    assert office.get("/api/v1/orders/seller").json()["total"] == 2
    assert office.get(f"/api/v1/orders/seller/{millet}").status_code == 200
    assert _post(office, f"/api/v1/orders/seller/{millet}/pack").status_code == 404
    assert Order.objects.get(pk=millet).status == "created"


def test_xlsx_export_has_the_screens_rows_in_its_order_named_by_the_range(
    place, skus, seller_client
) -> None:
    first = place([(skus["honey"], 2)])["orders"][0]["number"]
    second = place([(skus["honey"], 1)])["orders"][0]["number"]
    screen = seller_client.get("/api/v1/orders/seller").json()["items"]
    assert [o["number"] for o in screen] == [second, first]  # newest first
    today = timezone.localdate().isoformat()
    response = seller_client.get(f"/api/v1/orders/seller/export.xlsx?date_from={today}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="orders_{today}_{today}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("订单号", "下单时间", "状态")
    assert [row[0] for row in rows[1:]] == [second, first]  # the screen's order
    assert [row[9] for row in rows[1:]] == [1, 2]
    assert [row[10] for row in rows[1:]] == [68.0, 136.0]
    assert {row[4] for row in rows[1:]} == {"张女士"}
    open_ended = seller_client.get("/api/v1/orders/seller/export.xlsx")
    assert open_ended["Content-Disposition"] == f'attachment; filename="orders_to_{today}.xlsx"'


def test_packing_list_is_titled_and_printable(place, skus, seller_client) -> None:
    order = place([(skus["honey"], 2)])["orders"][0]
    html = seller_client.get(f"/api/v1/orders/seller/{order['id']}/packing-list").content.decode()
    assert f"<title>装箱单 {order['number']}</title>" in html
    assert "<h1>装箱单</h1>" in html
    assert '<button type="button" id="print" onclick="window.print()">打印</button>' in html
    assert "H-500" in html and "请用泡沫箱" in html


def test_order_cards_name_the_goods_and_when_unpaid_ones_expire(
    place, skus, buyer_client, django_assert_max_num_queries
) -> None:
    from backend.catalog.models import ImageVariant, ProductImage

    image = ProductImage.objects.create(
        product=skus["honey"].product,
        position=1,
        original="catalog/originals/honey.jpg",
        format="JPEG",
        width=800,
        height=800,
        size_bytes=1,
        sha256="0" * 64,
        status=ProductImage.Status.READY,
    )
    ImageVariant.objects.create(
        image=image,
        spec_name="thumbnail",
        platform="own",
        file="catalog/variants/honey.jpg",
        width=240,
        height=240,
        size_bytes=1,
        format="JPEG",
    )
    both = place([(skus["honey"], 2), (skus["millet"], 1)])
    single = place([(skus["millet"], 3)])
    with django_assert_max_num_queries(4):
        items = buyer_client.get("/api/v1/orders/mine").json()["items"]
    cards = [
        (o["first_title"], o["item_count"], o["thumbnail_url"], o["checkout_number"]) for o in items
    ]
    assert cards == [
        ("黄小米", 1, None, single["number"]),
        ("黄小米", 1, None, both["number"]),
        ("刺槐蜂蜜", 1, "/media/catalog/variants/honey.jpg", both["number"]),
    ]
    expires = Order.objects.get(number=items[0]["number"]).expires_at
    assert items[0]["expires_at"] == timezone.localtime(expires).isoformat()


def test_shipped_orders_are_confirmed_after_the_waiting_days(
    place, pay, skus, seller_client, buyer_client, settings
) -> None:
    from backend.orders.services import orders_auto_confirm

    settings.ORDER_AUTO_CONFIRM_DAYS = 10
    first, second = place([(skus["honey"], 1)]), place([(skus["honey"], 1)])
    for checkout in (first, second):
        pay(checkout)
        url = f"/api/v1/orders/seller/{checkout['orders'][0]['id']}"
        _post(seller_client, f"{url}/pack")
        _post(seller_client, f"{url}/ship", {"courier_code": "SF", "waybill_no": "SF1234567890123"})
    old, recent = first["orders"][0]["id"], second["orders"][0]["id"]
    Order.objects.filter(pk=old).update(shipped_at=timezone.now() - timedelta(days=11))
    _post(buyer_client, f"/api/v1/orders/mine/{recent}/refund-request", {"reason": "坏了"})
    Order.objects.filter(pk=recent).update(shipped_at=timezone.now() - timedelta(days=11))
    assert orders_auto_confirm() == 1
    assert Order.objects.get(pk=old).status == "completed"
    assert Order.objects.get(pk=recent).status == "refund_requested"  # an open refund waits
    assert _events(old)[-2:] == ["order.delivered", "order.completed"]


def test_lists_and_details_answer_times_in_shanghai_time(place, skus, buyer_client) -> None:
    checkout = place([(skus["honey"], 1)])
    order_id = checkout["orders"][0]["id"]
    order = Order.objects.get(pk=order_id)
    expected = timezone.localtime(order.created_at).isoformat()
    assert expected.endswith("+08:00")
    listed = buyer_client.get("/api/v1/orders/mine").json()["items"]
    assert [o["created_at"] for o in listed if o["id"] == order_id] == [expected]
    detail = buyer_client.get(f"/api/v1/orders/mine/{order_id}").json()
    assert detail["created_at"] == expected
