from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from backend.common.retry import retry_or_give_up
from backend.orders.payments import PaymentRefused, PaymentUnavailable
from backend.orders.services import orders_auto_confirm as _auto_confirm
from backend.orders.services_payment import orders_expire_unpaid as _expire
from backend.orders.services_refund import refund_attempt, refund_fail


@shared_task(
    bind=True,
    name="backend.orders.tasks.orders_expire_unpaid",
    max_retries=settings.EXPIRE_MAX_RETRIES,
)
def orders_expire_unpaid(self: Any) -> int:
    """Beat; while the provider cannot close payments, retried with bounded backoff (the
    next beat run picks up whatever is still due after that)."""
    try:
        return _expire()
    except PaymentUnavailable as exc:
        expired = int(exc.extra.get("expired", 0))
        return retry_or_give_up(
            self,
            exc,
            base=settings.REFUND_RETRY_BASE_SECONDS,
            cap=settings.REFUND_RETRY_MAX_SECONDS,
            give_up=lambda: expired,
        )


@shared_task(name="backend.orders.tasks.orders_auto_confirm")
def orders_auto_confirm() -> int:
    return _auto_confirm()


@shared_task(
    bind=True,
    name="backend.orders.tasks.refund_send",
    max_retries=settings.REFUND_MAX_RETRIES,
)
def refund_send(self: Any, refund_id: int) -> str:
    """Pay a pending refund back through the provider; while it is unavailable, retry with
    bounded backoff, then give up (the refund is marked failed for staff to see)."""
    try:
        return refund_attempt(refund_id=refund_id)
    except PaymentRefused:
        return "failed"  # marked failed and logged: retrying would be refused again
    except PaymentUnavailable as exc:

        def give_up() -> str:
            attempts = self.request.retries + 1
            refund_fail(refund_id=refund_id, error=f"provider unavailable after {attempts} tries")
            return "failed"

        return retry_or_give_up(
            self,
            exc,
            base=settings.REFUND_RETRY_BASE_SECONDS,
            cap=settings.REFUND_RETRY_MAX_SECONDS,
            give_up=give_up,
        )
