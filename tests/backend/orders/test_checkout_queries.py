"""The checkout makes only the queries it needs (it was 28, then 13): pinned statement by statement,
so a per-line lookup or a per-event insert fails here."""

from __future__ import annotations

import re

import pytest

from tests.backend.orders.conftest import checkout_body

# Not inside a test transaction: counted as a real request runs them (BEGIN and COMMIT
# included, no savepoints), with the geo registry already read by this process.
pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED = [
    # The session and its user come from Redis (accounts/user_cache.py): no query.
    "BEGIN",
    "SELECT accounts_user FOR UPDATE",  # one checkout at a time per buyer (unpaid cap)
    # Every SKU with its product and seller, the unpaid units the buyer holds and a checkout
    # this key placed before: one statement (backend/orders/checkout_reads.py).
    "SELECT catalog_sku",
    # The checkout, its orders (one per seller), lines and timeline: ids drawn, then one
    # statement for the four tables (backend/common/bulk.py).
    "SELECT generate_series",
    "WITH orders_checkout",
    # One conditional update per SKU, last (the hot rows), each writing its ledger row.
    "WITH catalog_sku",
    "WITH catalog_sku",
    # 2 order.created + 2 sku.stock_changed and their listeners' deliveries, at once.
    "WITH common_outboxevent",
    "COMMIT",
    "INSERT orders_payment",  # after the provider answered, outside the transaction
]


def _statement(sql: str) -> str:
    verb = sql.split()[0]
    if verb in {"BEGIN", "COMMIT"}:
        return verb
    # A WITH statement is named by the first table it writes.
    writes = r"(?:INTO|UPDATE)" if verb == "WITH" else r"(?:FROM|INTO|UPDATE)"
    table = re.search(writes + r' "?(\w+)"?', sql)
    assert table, sql
    lock = " FOR UPDATE" if sql.rstrip().endswith("FOR UPDATE") else ""
    return f"{verb} {table.group(1)}{lock}"


def test_a_two_seller_checkout_makes_ten_queries(
    buyer_client, skus, payments, django_assert_num_queries
) -> None:
    # Warm up this process (the geo registry) with a first checkout.
    first = buyer_client.post(
        "/api/v1/orders/checkouts",
        checkout_body([(skus["honey"], 1)]),
        content_type="application/json",
    )
    assert first.status_code == 201
    body = checkout_body([(skus["honey"], 2), (skus["millet"], 1)])
    with django_assert_num_queries(len(EXPECTED)) as captured:
        response = buyer_client.post(
            "/api/v1/orders/checkouts", body, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    assert [_statement(q["sql"]) for q in captured.captured_queries] == EXPECTED
    assert len(response.json()["orders"]) == 2
