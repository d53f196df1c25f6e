"""Row locks of orders and payments, in one place (Saleor's lock_objects).

Lock order: a buyer (while checking out) before SKUs; a payment before its checkout's
orders; orders by ascending id; an order before its refund. Every helper must be called
inside `transaction.atomic()`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from backend.accounts.models import User
from backend.common.prepared import prepared_cursor, table
from backend.orders.models import Checkout, Order, Payment, Refund


def buyer_checkout_lock(*, buyer_ids: list[int]) -> None:
    """One checkout at a time per buyer, so the unpaid-quantity cap is read and then kept
    (a cap is a rule across rows: check-then-insert needs the lock). Several buyers (a
    batch of checkouts) are locked in ascending id."""
    if connection.vendor != "postgresql":
        return  # SQLite has no row locks: its writers go one at a time (BEGIN IMMEDIATE)
    with prepared_cursor() as cursor:
        cursor.execute(_BUYER_LOCK_SQL, [sorted(buyer_ids)])


_BUYER_LOCK_SQL = (
    f"SELECT id FROM {table(User)} "  # noqa: S608
    "WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
)


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update().select_related("checkout").get(pk=order_id)


def payment_lock(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def checkout_orders_lock(*, checkout: Checkout) -> QuerySet[Order]:
    return checkout.orders.select_for_update().order_by("id")


def refund_lock(*, refund_id: int) -> Refund:
    return Refund.objects.select_for_update().get(pk=refund_id)
