"""Refunds: opened (pending) under the order's lock, paid by the provider outside any
transaction, settled under the lock again. While the provider is unavailable the refund
stays pending and a task retries it with bounded backoff (orders/tasks.py)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import order_lock, refund_lock
from backend.orders.models import Order, Payment, Refund
from backend.orders.models import OrderStatus as S
from backend.orders.payments import PaymentRefused, PaymentUnavailable, get_provider
from backend.orders.services import order_move, order_stock_release
from backend.orders.state import UNSHIPPED

logger = logging.getLogger(__name__)


def refund_open(*, order: Order, reason: str, by: User | None) -> Refund:
    """The order's refund, pending (a failed one is tried again). Call under the order's
    lock, inside the transaction that decides the refund."""
    refund, created = Refund.objects.get_or_create(
        order=order,
        defaults={
            "out_refund_no": f"RF{order.number}",
            "amount": order.paid_amount,
            "reason": reason[:200],
            "approved_by": by,
        },
    )
    if not created and refund.status == Refund.Status.FAILED:
        refund.status, refund.last_error = Refund.Status.PENDING, ""
        refund.save(update_fields=["status", "last_error"])
    return refund


def refund_later(refund_id: int) -> None:
    """Hand the refund to the retrying task once the current transaction commits."""
    from backend.orders.tasks import refund_send

    transaction.on_commit(lambda: refund_send.delay(refund_id))


def refund_attempt(*, refund_id: int) -> str:
    """One call to the provider (idempotent by out_refund_no), outside any transaction.
    Raises PaymentUnavailable (transient: the caller retries); a refusal fails the refund."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return str(refund.status)
    payment = Payment.objects.get(checkout_id=refund.order.checkout_id)
    Refund.objects.filter(pk=refund_id).update(attempts=F("attempts") + 1)
    try:
        remote = get_provider().refund(
            payment_id=payment.provider_payment_id,
            out_refund_no=refund.out_refund_no,
            amount=refund.amount,
            reason=refund.reason,
        )
    except PaymentUnavailable:
        Refund.objects.filter(pk=refund_id).update(last_error="provider unavailable")
        raise
    except PaymentRefused as exc:
        logger.error("refund %s refused by the provider: %s", refund.out_refund_no, exc.message)
        refund_fail(refund_id=refund_id, error=f"{exc.provider_code}: {exc.message}")
        raise
    refund_settle(refund_id=refund_id, provider_refund_id=remote.refund_id)
    return str(Refund.Status.SUCCEEDED)


def refund_settle(*, refund_id: int, provider_refund_id: str) -> None:
    """The provider paid: the refund succeeds and a requested refund moves the order to
    REFUNDED, giving back the stock of goods that never left. Safe to run twice."""
    order_id = Refund.objects.values_list("order_id", flat=True).get(pk=refund_id)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        refund = refund_lock(refund_id=refund_id)
        if refund.status == Refund.Status.SUCCEEDED:
            return
        refund.status, refund.provider_refund_id = Refund.Status.SUCCEEDED, provider_refund_id
        refund.settled_at, refund.last_error = timezone.now(), ""
        refund.save(update_fields=["status", "provider_refund_id", "settled_at", "last_error"])
        if order.status != S.REFUND_REQUESTED:
            return  # a payment that came after the order was cancelled: money back only
        moved = order_move(
            order=order,
            to=S.REFUNDED,
            by=refund.approved_by,
            event_extra={"amount_refunded": str(refund.amount), "refund_ref": refund.out_refund_no},
            refunded_amount=refund.amount,
        )
        if order.status_before_refund in UNSHIPPED:
            order_stock_release(order=moved, by=refund.approved_by)


def refund_fail(*, refund_id: int, error: str) -> None:
    Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(
        status=Refund.Status.FAILED, last_error=error[:200]
    )


def refund_retry(*, refund_id: int) -> bool:
    """Staff try a failed refund again (admin action): pending, then the retrying task."""
    with transaction.atomic():
        reopened = Refund.objects.filter(pk=refund_id, status=Refund.Status.FAILED).update(
            status=Refund.Status.PENDING, last_error=""
        )
        if reopened:
            refund_later(refund_id)
    return bool(reopened)


def order_refund_approve(*, order: Order, by: User) -> Order:
    """The merchant's yes: the refund is opened under the lock; the provider is called after
    the transaction. When it is unavailable the order stays REFUND_REQUESTED with a pending
    refund, and a task retries; approving again retries a failed one."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status != S.REFUND_REQUESTED:
            raise Conflict(
                _("There is no refund request to approve."),
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": S.REFUNDED},
            )
        refund = refund_open(order=locked, reason=locked.refund_reason, by=by)
    try:
        refund_attempt(refund_id=refund.pk)
    except PaymentUnavailable:
        logger.warning("refund %s waits for the provider", refund.out_refund_no)
        refund_later(refund.pk)
    return Order.objects.get(pk=order.pk)
