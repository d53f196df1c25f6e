from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.catalog.models import ProductStatus, StockEntry
from backend.common.models import OutboxEvent
from backend.orders.models import Checkout, Order, Payment
from tests.backend.orders.conftest import checkout_body

pytestmark = pytest.mark.django_db


def test_multi_seller_checkout_gives_one_order_per_seller_and_one_payment(
    place, skus, sellers, payments
) -> None:
    checkout = place([(skus["honey"], 2), (skus["millet"], 1)])
    assert checkout["total_amount"] == "185.90"
    orders = {o["seller_id"]: o for o in checkout["orders"]}
    assert set(orders) == {sellers[0].pk, sellers[1].pk}
    honey = orders[sellers[0].pk]
    assert (honey["status"], honey["goods_amount"], honey["paid_amount"]) == (
        "created",
        "136.00",
        "136.00",
    )
    assert [
        (ln["title"], ln["spec_text"], ln["unit_price"], ln["quantity"]) for ln in honey["lines"]
    ] == [("刺槐蜂蜜", "500g 瓶装", "68.00", 2)]
    assert honey["township_name"] == "端氏镇"
    assert honey["source_kind"] == "direct"
    assert Payment.objects.count() == 1
    remote = payments.payment(checkout["pay_url"].rsplit("/", 1)[-1])
    assert (remote["amount"], remote["out_trade_no"], remote["status"]) == (
        "185.90",
        checkout["number"],
        "pending",
    )
    skus["honey"].refresh_from_db()
    skus["millet"].refresh_from_db()
    assert (skus["honey"].stock, skus["millet"].stock) == (8, 4)
    created = OutboxEvent.objects.filter(name="order.created")
    assert sorted(e.payload["seller_org_id"] for e in created) == sorted(orders)
    assert {e.payload["checkout_id"] for e in created} == {checkout["number"]}


def test_same_idempotency_key_buys_once(place, skus) -> None:
    first = place([(skus["honey"], 3)], key="buy-once-0001")
    again = place([(skus["honey"], 3)], key="buy-once-0001")
    assert again["id"] == first["id"]
    assert (Checkout.objects.count(), Order.objects.count(), Payment.objects.count()) == (1, 1, 1)
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 7
    assert StockEntry.objects.filter(reason="reservation").count() == 1


def test_unavailable_item_changes_nothing(buyer_client, skus, payments) -> None:
    product = skus["millet"].product
    product.status = ProductStatus.OFF_SALE
    product.save()
    response = buyer_client.post(
        "/api/v1/orders/checkouts",
        checkout_body([(skus["honey"], 1), (skus["millet"], 1)]),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "order.sku_unavailable",
        "message": response.json()["error"]["message"],
        "extra": {"sku_ids": [skus["millet"].pk]},
    }
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert (Checkout.objects.count(), Order.objects.count(), OutboxEvent.objects.count()) == (
        0,
        0,
        0,
    )


def test_short_stock_refuses_the_whole_checkout(buyer_client, skus, payments) -> None:
    response = buyer_client.post(
        "/api/v1/orders/checkouts",
        checkout_body([(skus["honey"], 2), (skus["millet"], 6)]),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stock.insufficient"
    skus["honey"].refresh_from_db()
    skus["millet"].refresh_from_db()
    assert (skus["honey"].stock, skus["millet"].stock) == (10, 5)
    assert (Order.objects.count(), StockEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"items": []}, "body.payload.items"),
        (
            {"consignee": {"name": "张", "phone": "12345", "address": "端氏镇某村"}},
            "body.payload.consignee.phone",
        ),
        ({"idempotency_key": "x"}, "body.payload.idempotency_key"),
    ],
)
def test_bad_checkout_input_is_422(buyer_client, skus, payments, change, path) -> None:
    body = {**checkout_body([(skus["honey"], 1)]), **change}
    response = buyer_client.post("/api/v1/orders/checkouts", body, content_type="application/json")
    assert response.status_code == 422
    assert path in [f["path"] for f in response.json()["error"]["extra"]["fields"]]
    assert Order.objects.count() == 0


def test_quantity_must_be_positive(buyer_client, skus, payments) -> None:
    body = checkout_body([(skus["honey"], 1)])
    body["items"][0]["quantity"] = 0
    response = buyer_client.post("/api/v1/orders/checkouts", body, content_type="application/json")
    assert response.status_code == 422
    assert Order.objects.count() == 0


def test_payment_provider_down_keeps_the_orders_and_pays_later(
    buyer_client, skus, payments, settings
) -> None:
    sandbox = settings.PAYMENT_SANDBOX_URL
    settings.PAYMENT_SANDBOX_URL = "http://127.0.0.1:9"  # nothing listens there
    response = buyer_client.post(
        "/api/v1/orders/checkouts",
        checkout_body([(skus["honey"], 1)]),
        content_type="application/json",
    )
    assert response.status_code == 201
    checkout = response.json()
    assert (checkout["pay_url"], checkout["payment_status"]) == (None, None)
    assert [o["status"] for o in checkout["orders"]] == ["created"]
    assert Payment.objects.count() == 0
    settings.PAYMENT_SANDBOX_URL = sandbox
    later = buyer_client.post(f"/api/v1/orders/checkouts/{checkout['id']}/pay")
    assert later.status_code == 200
    assert later.json()["payment_status"] == "pending"
    assert later.json()["pay_url"].startswith(f"{sandbox}/pay/")
    assert Payment.objects.count() == 1


class _GatewayPage(BaseHTTPRequestHandler):
    """What a misrouted provider URL meets: a proxy's HTML error page, not the protocol."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        page = b"<html><body>404 Not Found</body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args: object) -> None:
        pass


def test_a_provider_answer_that_is_not_json_keeps_the_orders(
    buyer_client, skus, payments, settings
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PAYMENT_SANDBOX_URL = f"http://127.0.0.1:{server.server_port}"
    try:
        response = buyer_client.post(
            "/api/v1/orders/checkouts",
            checkout_body([(skus["honey"], 1)]),
            content_type="application/json",
        )
        checkout = response.json()
        assert response.status_code == 201
        assert (checkout["pay_url"], checkout["payment_status"]) == (None, None)
        assert [o["status"] for o in checkout["orders"]] == ["created"]
        later = buyer_client.post(f"/api/v1/orders/checkouts/{checkout['id']}/pay")
        assert later.status_code == 503
        assert later.json()["error"]["code"] == "payment.unavailable"
    finally:
        server.shutdown()
        server.server_close()
    assert Payment.objects.count() == 0
