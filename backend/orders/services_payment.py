"""Paying and refunding through the PaymentProvider; the notify callback; expiry."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict, DomainError
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import checkout_orders_lock, order_lock, payment_lock
from backend.orders.models import Checkout, Order, Payment, PaymentNotice, Refund
from backend.orders.models import OrderStatus as S
from backend.orders.payments import PaymentUnavailable, get_provider
from backend.orders.services import order_cancel, order_move, order_stock_release
from backend.orders.state import UNSHIPPED

logger = logging.getLogger(__name__)


def payment_start(*, checkout: Checkout, return_url: str) -> Payment:
    """The checkout's payment at the provider (created once; the provider is idempotent
    on out_trade_no too, so a retry after a lost answer finds the same payment)."""
    existing = Payment.objects.filter(checkout=checkout).first()
    if existing is not None:
        return existing
    if not checkout.orders.filter(status=S.CREATED).exists():
        raise Conflict(
            _("Nothing left to pay in this checkout."), code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION
        )
    provider = get_provider()
    remote = provider.payment_create(
        out_trade_no=checkout.number,
        amount=checkout.total_amount,
        subject=_("Qinshui order %(number)s") % {"number": checkout.number},
        notify_url=f"{settings.SITE_URL}/api/v1/payments/notify",
        return_url=return_url,
    )
    try:
        return Payment.objects.create(
            checkout=checkout,
            provider=provider.name,
            provider_payment_id=remote.payment_id,
            amount=checkout.total_amount,
            pay_url=remote.pay_url,
        )
    except IntegrityError:
        return Payment.objects.get(checkout=checkout)


def payment_start_or_defer(*, checkout: Checkout, return_url: str) -> Payment | None:
    """Start the payment right after checkout. If the provider is down the orders stand and
    the buyer pays later from "my orders" (POST /orders/checkouts/{id}/pay)."""
    try:
        return payment_start(checkout=checkout, return_url=return_url)
    except PaymentUnavailable:
        logger.warning("payment provider down; checkout %s waits for a retry", checkout.number)
        return None


def _notice_record(body: dict[str, Any], payment_id: str, outcome: str) -> None:
    PaymentNotice.objects.create(
        provider=settings.PAYMENT_PROVIDER.rsplit(".", 1)[-1],
        provider_payment_id=payment_id,
        body=body,
        outcome=outcome,
    )


def payment_notice_receive(*, body: dict[str, Any]) -> str:
    """Handle the provider's notify. A forged or mismatched notice changes nothing (it is
    kept and logged); a repeated one is acknowledged and changes nothing."""
    notice = get_provider().notice_parse(body=body)
    payment_id = str(body.get("payment_id", ""))[:64]
    if notice is None:
        logger.warning("payment notice with a bad signature for %s", payment_id)
        _notice_record(body, payment_id, "bad_signature")
        raise DomainError(_("Invalid notice."), code=OrderErrorCode.PAYMENT_NOTICE_INVALID)
    payment = (
        Payment.objects.select_related("checkout")
        .filter(provider_payment_id=notice.payment_id, checkout__number=notice.out_trade_no)
        .first()
    )
    if payment is None or notice.status != "paid" or notice.amount != payment.amount:
        outcome = "unknown_payment" if payment is None else "mismatch"
        logger.warning("payment notice %s refused: %s", payment_id, outcome)
        _notice_record(body, payment_id, outcome)
        raise DomainError(_("Invalid notice."), code=OrderErrorCode.PAYMENT_NOTICE_INVALID)
    with transaction.atomic():
        locked = payment_lock(payment_id=payment.pk)
        if locked.status == Payment.Status.PAID:
            _notice_record(body, payment_id, "duplicate")
            return "duplicate"
        locked.status, locked.paid_at = Payment.Status.PAID, timezone.now()
        locked.save(update_fields=["status", "paid_at"])
        late: list[int] = []
        for order in checkout_orders_lock(checkout=payment.checkout):
            if order.status == S.CREATED:
                order_move(order=order, to=S.PAID, by=None, paid_at=locked.paid_at)
            else:
                late.append(order.pk)  # cancelled (expired) before the money came
        _notice_record(body, payment_id, "paid")
    for order_id in late:
        _refund_late_payment(order_id)
    return "paid"


def _refund_late_payment(order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    logger.warning("order %s was paid after it was cancelled: refunding", order.number)
    _provider_refund(order=order, reason=str(_("Paid after the order expired")))


def _provider_refund(*, order: Order, reason: str) -> Refund:
    payment = Payment.objects.get(checkout_id=order.checkout_id)
    out_refund_no = f"RF{order.number}"
    remote = get_provider().refund(
        payment_id=payment.provider_payment_id,
        out_refund_no=out_refund_no,
        amount=order.paid_amount,
        reason=reason,
    )
    refund, _created = Refund.objects.get_or_create(
        order=order,
        defaults={
            "out_refund_no": out_refund_no,
            "provider_refund_id": remote.refund_id,
            "amount": order.paid_amount,
            "reason": reason,
        },
    )
    return refund


def order_refund_approve(*, order: Order, by: User) -> Order:
    """Money back through the provider (idempotent by out_refund_no), then the move; goods
    that never left the merchant go back into stock."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status != S.REFUND_REQUESTED:
            raise Conflict(
                _("There is no refund request to approve."),
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": S.REFUNDED},
            )
        _provider_refund(order=locked, reason=locked.refund_reason)
        moved = order_move(
            order=locked,
            to=S.REFUNDED,
            by=by,
            event_extra={"amount_refunded": str(locked.paid_amount)},
        )
        if locked.status_before_refund in UNSHIPPED:
            order_stock_release(order=moved, by=by)
    return moved


def orders_expire_unpaid() -> int:
    """Beat: cancel orders unpaid past their time and give their stock back. The payment
    is closed at the provider first; if the buyer paid in the meantime, keep the order."""
    expired = 0
    due = Order.objects.filter(status=S.CREATED, expires_at__lt=timezone.now())
    for checkout_id in due.values_list("checkout_id", flat=True).distinct():
        payment = Payment.objects.filter(checkout_id=checkout_id).first()
        if payment is not None and payment.status == Payment.Status.PENDING:
            if get_provider().payment_close(payment_id=payment.provider_payment_id) == "paid":
                continue  # the notify is on its way
            Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.CLOSED)
        for order in due.filter(checkout_id=checkout_id):
            try:
                order_cancel(order=order, by=None, reason=str(_("Not paid in time")))
                expired += 1
            except Conflict:
                continue  # paid meanwhile
    return expired
