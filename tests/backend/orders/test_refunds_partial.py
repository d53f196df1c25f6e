"""Several refunds per order: each for an amount, what went back never more than was paid
(a check constraint and a conditional update, also under concurrency), the order partly
or fully refunded, `order.refunded` once per refund with its own amount."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from backend.common.models import OutboxEvent
from backend.orders.models import Order, Refund
from backend.orders.services_refund import refunded_add
from tests.backend.orders.test_flow import _post
from tests.factories.catalog import SkuFactory

pytestmark = pytest.mark.django_db


def _refunded_events(order_id: int) -> list[tuple[str, str, str]]:
    return [
        (e.payload["amount_refunded"], e.payload["refund_ref"], e.payload["status"])
        for e in OutboxEvent.objects.filter(name="order.refunded").order_by("id")
        if e.payload["order_id"] == order_id
    ]


@pytest.fixture
def paid_order(place, pay, skus):
    """A paid order of 2 honey (136.00); returns its id."""
    checkout = place([(skus["honey"], 2)])
    pay(checkout)
    return checkout["orders"][0]["id"]


def _request(client, order_id: int, reason: str = "少了一罐"):
    response = _post(client, f"/api/v1/orders/mine/{order_id}/refund-request", {"reason": reason})
    assert response.status_code == 200, response.content


def test_two_partial_refunds_then_the_order_is_refunded(
    paid_order, skus, buyer_client, seller_client
) -> None:
    _request(buyer_client, paid_order)
    part = _post(seller_client, f"/api/v1/orders/seller/{paid_order}/refund/approve",
                 {"amount": "50.00"})  # fmt: skip
    assert part.status_code == 200, part.content
    body = part.json()
    assert (body["status"], body["refund_state"], body["refunded_amount"]) == (
        "paid",
        "partial",
        "50.00",
    )
    assert [(r["amount"], r["status"], r["provider"]) for r in body["refunds"]] == [
        ("50.00", "succeeded", "ours")
    ]
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 8  # a part of the money: the goods still go out

    _request(buyer_client, paid_order, "还是不要了")
    rest = _post(seller_client, f"/api/v1/orders/seller/{paid_order}/refund/approve")
    body = rest.json()
    assert (body["status"], body["refund_state"], body["refunded_amount"]) == (
        "refunded",
        "full",
        "136.00",
    )
    numbers = [r["out_refund_no"] for r in body["refunds"]]
    assert [r["amount"] for r in body["refunds"]] == ["50.00", "86.00"]
    assert numbers[1] == numbers[0] + "-2"
    assert _refunded_events(paid_order) == [
        ("50.00", numbers[0], "paid"),
        ("86.00", numbers[1], "refunded"),
    ]
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10  # refunded whole before shipping: the stock is back


def test_a_refund_beyond_what_is_left_is_refused_and_changes_nothing(
    paid_order, buyer_client, seller_client
) -> None:
    _request(buyer_client, paid_order)
    too_much = _post(seller_client, f"/api/v1/orders/seller/{paid_order}/refund/approve",
                     {"amount": "136.01"})  # fmt: skip
    assert too_much.status_code == 422
    assert (too_much.json()["error"]["code"], too_much.json()["error"]["extra"]["left"]) == (
        "order.refund_amount",
        "136.00",
    )
    order = Order.objects.get(pk=paid_order)
    assert (order.status, order.refunded_amount) == ("refund_requested", Decimal("0.00"))
    assert Refund.objects.count() == 0
    assert _refunded_events(paid_order) == []


def _store_order(paid: str = "100.00") -> Order:
    from backend.orders.services_checkout import Consignee
    from backend.orders.services_import import order_accept_fact
    from backend.orders.services_import_batch import FactLine, FactOrder

    sku = SkuFactory(stock=10)
    fact = FactOrder(
        store_id=1, remote_id="R1", source_ref="taobao:1:R1", status="paid",
        lines=[FactLine(sku_id=sku.pk, quantity=1, unit_price=Decimal(paid))],
        consignee=Consignee(name="买家", phone="13800000002", address="北京市朝阳区"),
    )  # fmt: skip
    return order_accept_fact(seller_id=sku.seller_id, fact=fact)


def test_the_database_refuses_more_refunded_than_paid() -> None:
    order = _store_order()
    assert refunded_add(order_id=order.pk, amount=Decimal("100.01")) is False
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(refunded_amount=Decimal("100.01"))
    assert Order.objects.get(pk=order.pk).refunded_amount == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_pass_what_was_paid() -> None:
    """Two refunds of 60.00 on an order of 100.00 at once, with no lock of ours: the
    conditional update lets exactly one through."""
    order = _store_order()
    barrier, outcomes = threading.Barrier(2), []

    def refund() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                outcomes.append(refunded_add(order_id=order.pk, amount=Decimal("60.00")))
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == [False, True]
    assert Order.objects.get(pk=order.pk).refunded_amount == Decimal("60.00")
