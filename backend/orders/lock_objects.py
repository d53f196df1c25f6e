"""Row locks of orders and payments, in one place (Saleor's lock_objects).

Lock order: a payment before its checkout's orders; orders by ascending id. Every helper
must be called inside `transaction.atomic()`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from backend.orders.models import Checkout, Order, Payment


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update().select_related("checkout").get(pk=order_id)


def payment_lock(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def checkout_orders_lock(*, checkout: Checkout) -> QuerySet[Order]:
    return checkout.orders.select_for_update().order_by("id")
