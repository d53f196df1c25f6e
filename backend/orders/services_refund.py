"""Refunds, several per order: opened (pending) under the order's lock for an amount (what
is left by default), paid by the provider outside any transaction, settled under the lock
again. While the provider is unavailable the refund stays pending and a task retries it
with bounded backoff (orders/tasks.py).

What succeeded adds up in `Order.refunded_amount` through one conditional UPDATE
(`refunded_add`) that never passes what was paid (the check constraint is the backstop).
Each settled refund publishes `order.refunded` once with its own amount: the one that
reaches the whole payment moves the order to REFUNDED; a partial one returns the order to
where it was, partly refunded."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish
from backend.common.money import money_str
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import order_lock, refund_lock
from backend.orders.models import Order, OrderEvent, Payment, Refund
from backend.orders.models import OrderStatus as S
from backend.orders.payments import PaymentRefused, PaymentUnavailable, get_provider
from backend.orders.services import order_move, order_stock_release
from backend.orders.services_checkout import order_payload
from backend.orders.state import UNSHIPPED

logger = logging.getLogger(__name__)


def refunded_add(*, order_id: int, amount: Decimal) -> bool:
    """The one write of what went back: adds `amount` unless the order would then have
    returned more than was paid (a conditional UPDATE, safe against any concurrent one)."""
    return (
        Order.objects.filter(pk=order_id, refunded_amount__lte=F("paid_amount") - amount).update(
            refunded_amount=F("refunded_amount") + amount
        )
        == 1
    )


def refund_left(*, order: Order) -> Decimal:
    """What may still be refunded: paid, less what went back and what is on its way."""
    open_amount = order.refunds.exclude(status=Refund.Status.SUCCEEDED).aggregate(n=Sum("amount"))[
        "n"
    ]
    return order.paid_amount - order.refunded_amount - (open_amount or Decimal("0"))


def refund_open(
    *, order: Order, reason: str, by: User | None, amount: Decimal | None = None
) -> Refund:
    """A pending refund of `amount` (what is left when None). An open one (pending, or
    failed: tried again) is the one returned. Call under the order's lock, inside the
    transaction that decides the refund."""
    current = order.refunds.exclude(status=Refund.Status.SUCCEEDED).order_by("id").last()
    if current is not None:
        if current.status == Refund.Status.FAILED:
            current.status, current.last_error = Refund.Status.PENDING, ""
            current.save(update_fields=["status", "last_error"])
        return current
    left = refund_left(order=order)
    amount = left if amount is None else amount
    if not Decimal("0") < amount <= left:
        raise DomainError(
            _("A refund must be more than zero and at most what is left: %(left)s.")
            % {"left": money_str(left)},
            code=OrderErrorCode.ORDER_REFUND_AMOUNT,
            status=422,
            extra={"left": money_str(left), "amount": money_str(amount)},
        )
    done = order.refunds.count()
    return Refund.objects.create(
        order=order,
        out_refund_no=f"RF{order.number}" + (f"-{done + 1}" if done else ""),
        amount=amount,
        reason=reason[:200],
        approved_by=by,
    )


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
    """The provider paid: the refund succeeds, its amount adds up on the order, and a
    requested refund closes: the whole payment moves the order to REFUNDED (giving back the
    stock of goods that never left), a part returns it to where it was. Safe to run twice."""
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
        if not refunded_add(order_id=order.pk, amount=refund.amount):
            raise Conflict(
                _("This refund would return more than was paid."),
                code=OrderErrorCode.ORDER_REFUND_AMOUNT,
            )
        extra = {"amount_refunded": money_str(refund.amount), "refund_ref": refund.out_refund_no}
        order.refresh_from_db(fields=["refunded_amount"])
        if order.refunded_amount < order.paid_amount:
            _partly_refunded(order=order, refund=refund, extra=extra)
            return
        moved = order_move(order=order, to=S.REFUNDED, by=refund.approved_by, event_extra=extra)
        if order.status_before_refund in UNSHIPPED:
            order_stock_release(order=moved, by=refund.approved_by)


def _partly_refunded(*, order: Order, refund: Refund, extra: dict[str, str]) -> None:
    """A part went back: the order returns to where it was (its goods still go out), the
    timeline says so and order.refunded carries this refund's amount."""
    before = order.status_before_refund
    Order.objects.filter(pk=order.pk).update(status=before, updated_at=timezone.now())
    order.status = before
    OrderEvent.objects.create(
        order=order,
        from_status=S.REFUND_REQUESTED,
        to_status=before,
        by=refund.approved_by,
        note=f"refunded {money_str(refund.amount)}",
    )
    publish("order.refunded", order_payload(order, **extra))


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


def order_refund_approve(*, order: Order, by: User, amount: Decimal | None = None) -> Order:
    """The merchant's yes, for `amount` (what is left when None): the refund is opened under
    the lock; the provider is called after the transaction. When it is unavailable the order
    stays REFUND_REQUESTED with a pending refund, and a task retries; approving again
    retries a failed one."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status != S.REFUND_REQUESTED:
            raise Conflict(
                _("There is no refund request to approve."),
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": S.REFUNDED},
            )
        refund = refund_open(order=locked, reason=locked.refund_reason, by=by, amount=amount)
    try:
        refund_attempt(refund_id=refund.pk)
    except PaymentUnavailable:
        logger.warning("refund %s waits for the provider", refund.out_refund_no)
        refund_later(refund.pk)
    return Order.objects.get(pk=order.pk)
