"""Checkout rules against misuse: a reused idempotency key with another basket is refused,
and one buyer cannot hoard stock in unpaid orders (per SKU and in all)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.catalog.models import StockEntry
from backend.orders.models import Checkout, Order
from backend.orders.services import Consignee, checkout_place
from backend.orders.services_checkout import UnpaidLimit
from tests.backend.orders.conftest import ADDRESS, checkout_body


def _post(client, items, key=None):
    return client.post(
        "/api/v1/orders/checkouts", checkout_body(items, key), content_type="application/json"
    )


def _stocks(skus) -> tuple[int, int]:
    for sku in skus.values():
        sku.refresh_from_db()
    return skus["honey"].stock, skus["millet"].stock


@pytest.mark.django_db
def test_a_reused_key_with_another_basket_is_refused(buyer_client, skus, payments) -> None:
    first = _post(buyer_client, [(skus["honey"], 1)], key="reused-key-001")
    assert first.status_code == 201
    again = _post(buyer_client, [(skus["honey"], 2)], key="reused-key-001")
    assert again.status_code == 409
    error = again.json()["error"]
    assert (error["code"], error["extra"]) == (
        "order.idempotency_mismatch",
        {"checkout_id": first.json()["id"]},
    )
    other = _post(buyer_client, [(skus["millet"], 1)], key="reused-key-001")
    assert other.json()["error"]["code"] == "order.idempotency_mismatch"
    assert (Checkout.objects.count(), Order.objects.count()) == (1, 1)
    assert _stocks(skus) == (9, 5)


@pytest.mark.django_db
def test_the_same_basket_in_another_order_is_the_same_checkout(
    buyer_client, skus, payments
) -> None:
    first = _post(buyer_client, [(skus["honey"], 1), (skus["millet"], 2)], key="same-basket-1")
    again = _post(
        buyer_client,
        [(skus["millet"], 1), (skus["honey"], 1), (skus["millet"], 1)],
        key="same-basket-1",
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert _stocks(skus) == (9, 3)


@pytest.mark.django_db
def test_unpaid_units_of_one_sku_are_capped(buyer_client, skus, payments, settings) -> None:
    settings.ORDER_UNPAID_MAX_PER_SKU = 3
    assert _post(buyer_client, [(skus["honey"], 2)]).status_code == 201
    refused = _post(buyer_client, [(skus["millet"], 1), (skus["honey"], 2)])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["extra"]) == (
        "order.unpaid_limit",
        {"sku_id": skus["honey"].pk, "held": 2, "wanted": 2, "limit": 3},
    )
    assert "3" in error["message"] and "2" in error["message"]
    assert _stocks(skus) == (8, 5)
    assert (Order.objects.count(), StockEntry.objects.count()) == (1, 1)
    # Cancelling the unpaid order frees the room again.
    order_id = Order.objects.get().pk
    assert buyer_client.post(f"/api/v1/orders/mine/{order_id}/cancel").status_code == 200
    assert _post(buyer_client, [(skus["honey"], 3)]).status_code == 201
    assert _stocks(skus) == (7, 5)


@pytest.mark.django_db
def test_a_retry_at_the_cap_or_after_a_sell_out_is_the_first_checkout(
    buyer_client, skus, payments, settings
) -> None:
    """The key is judged before any rule: the retried "buy" whose first answer was lost
    gets its checkout back, even though this basket would now pass neither the cap (its own
    units count) nor the stock."""
    settings.ORDER_UNPAID_MAX_PER_SKU = 5
    first = _post(buyer_client, [(skus["millet"], 5)], key="retry-at-cap-1")
    assert first.status_code == 201
    assert _stocks(skus) == (10, 0)
    again = _post(buyer_client, [(skus["millet"], 5)], key="retry-at-cap-1")
    assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
    assert (Checkout.objects.count(), Order.objects.count()) == (1, 1)
    assert _stocks(skus) == (10, 0)


@pytest.mark.django_db
def test_unpaid_units_of_a_buyer_are_capped_in_all(buyer_client, skus, payments, settings) -> None:
    settings.ORDER_UNPAID_MAX_PER_BUYER = 4
    assert _post(buyer_client, [(skus["honey"], 3)]).status_code == 201
    refused = _post(buyer_client, [(skus["millet"], 2)])
    assert refused.status_code == 409
    assert refused.json()["error"]["extra"] == {"held": 3, "wanted": 2, "limit": 4}
    assert _stocks(skus) == (7, 5)
    assert _post(buyer_client, [(skus["millet"], 1)]).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_when_one_buyer_checks_out_twice_at_once(buyer, skus, settings) -> None:
    """Two checkouts of 2 units each under a cap of 3 (PostgreSQL): exactly one passes."""
    settings.ORDER_UNPAID_MAX_PER_SKU = 3
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(n: int) -> None:
        barrier.wait()
        try:
            checkout_place(
                buyer=buyer,
                idempotency_key=f"race-cap-{n}",
                items=[(skus["honey"].pk, 2)],
                consignee=Consignee(name="张女士", phone="13912345678", address=ADDRESS),
            )
            outcome = "ok"
        except UnpaidLimit:
            outcome = "capped"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["capped", "capped", "capped", "ok"]
    assert _stocks(skus) == (8, 5)
    assert Order.objects.count() == 1
