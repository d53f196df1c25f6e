"""Paying and refunding through the PaymentProvider; the notify callback; expiry."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.common.bulk import instance_insert
from backend.common.errors import Conflict, DomainError
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import checkout_orders_lock, payment_lock
from backend.orders.models import Checkout, Order, Payment, PaymentNotice
from backend.orders.models import OrderStatus as S
from backend.orders.payments import PaymentRefused, PaymentUnavailable, get_provider
from backend.orders.services import order_cancel, order_move
from backend.orders.services_refund import refund_attempt, refund_later, refund_open

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
    return _payment_create(checkout=checkout, return_url=return_url)


def _payment_create(*, checkout: Checkout, return_url: str) -> Payment:
    provider = get_provider()
    remote = provider.payment_create(
        out_trade_no=checkout.number,
        amount=checkout.total_amount,
        subject=_("Qinshui order %(number)s") % {"number": checkout.number},
        notify_url=f"{settings.SITE_URL}/api/v1/payments/notify",
        return_url=return_url,
    )
    payment = Payment(
        checkout=checkout,
        provider=provider.name,
        provider_payment_id=remote.payment_id,
        amount=checkout.total_amount,
        pay_url=remote.pay_url,
    )
    try:
        instance_insert(payment)
        return payment
    except IntegrityError:
        return Payment.objects.get(checkout=checkout)


def payment_start_or_defer(
    *, checkout: Checkout, return_url: str, fresh: bool = False
) -> Payment | None:
    """Start the payment right after checkout (`fresh`: the checkout was just written, so
    it has no payment yet and all its orders await one). If the provider is down the
    orders stand and the buyer pays later from "my orders" (POST /orders/checkouts/{id}/pay)."""
    try:
        if fresh:
            return _payment_create(checkout=checkout, return_url=return_url)
        return payment_start(checkout=checkout, return_url=return_url)
    except PaymentUnavailable:
        logger.warning("payment provider down; checkout %s waits for a retry", checkout.number)
        return None


BAD_OUTCOMES = {"bad_signature", "unknown_payment", "mismatch"}


def notice_kept(body: dict[str, Any]) -> dict[str, Any]:
    """What is stored of a notice: the body itself when small and storable as JSON, else
    its text cut at PAYMENT_NOTICE_KEEP_CHARS (the notify is public: anyone can post 2 MB,
    a NUL or a lone surrogate, which PostgreSQL's jsonb refuses)."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    cap = settings.PAYMENT_NOTICE_KEEP_CHARS
    storable = "\\u0000" not in text and text == text.encode("utf-8", "replace").decode()
    if len(text) <= cap and storable:
        return body
    head = text[:cap].encode("utf-8", "backslashreplace").decode()
    return {"truncated": len(text) > cap, "chars": len(text), "head": head}


def _bad_notice_allowed() -> bool:
    """At most PAYMENT_BAD_NOTICES_PER_HOUR refused notices are kept each hour; the rest
    are only logged (a flood of forged posts must not fill the database)."""
    key = f"payment-notice:bad:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=2 * 3600)
    return int(cache.incr(key)) <= settings.PAYMENT_BAD_NOTICES_PER_HOUR


def _notice_record(body: dict[str, Any], payment_id: str, outcome: str) -> None:
    if outcome in BAD_OUTCOMES and not _bad_notice_allowed():
        logger.warning("payment notice %s (%s) not kept: hourly cap reached", payment_id, outcome)
        return
    PaymentNotice.objects.create(
        provider=settings.PAYMENT_PROVIDER.rsplit(".", 1)[-1],
        provider_payment_id=payment_id,
        body=notice_kept(body),
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
            else:  # cancelled (expired) before the money came: it goes back
                logger.warning("order %s was paid after it was cancelled", order.number)
                reason = str(_("Paid after the order expired"))
                late.append(refund_open(order=order, reason=reason, by=None).pk)
        _notice_record(body, payment_id, "paid")
    for refund_id in late:
        _refund_now_or_later(refund_id)
    return "paid"


def _refund_now_or_later(refund_id: int) -> None:
    try:
        refund_attempt(refund_id=refund_id)
    except PaymentUnavailable:
        refund_later(refund_id)
    except PaymentRefused:
        pass  # the refund is marked failed and logged; staff see it in the admin


def orders_expire_unpaid() -> int:
    """Beat: cancel orders unpaid past their time and give their stock back. The payment
    is closed at the provider first; if the buyer paid in the meantime, keep the order.
    A checkout whose payment cannot be closed (the provider is unavailable) waits; the others
    go on, then PaymentUnavailable is raised for the task to retry (safe to run twice)."""
    expired, waiting = 0, 0
    due = Order.objects.filter(status=S.CREATED, expires_at__lt=timezone.now())
    for checkout_id in due.values_list("checkout_id", flat=True).distinct():
        payment = Payment.objects.filter(checkout_id=checkout_id).first()
        if payment is not None and payment.status == Payment.Status.PENDING:
            try:
                closed = get_provider().payment_close(payment_id=payment.provider_payment_id)
            except PaymentUnavailable:
                waiting += 1
                continue
            if closed == "paid":
                continue  # the notify is on its way
            Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.CLOSED)
        for order in due.filter(checkout_id=checkout_id):
            try:
                order_cancel(order=order, by=None, reason=str(_("Not paid in time")))
                expired += 1
            except Conflict:
                continue  # paid meanwhile
    if waiting:
        logger.warning("%d expired checkout(s) wait for the payment provider", waiting)
        raise PaymentUnavailable(extra={"expired": expired, "waiting": waiting})
    return expired
