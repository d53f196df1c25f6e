from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from backend.accounts.services_phone import phone_code_give_up, phone_code_issue
from backend.accounts.services_phone import phone_codes_purge as _purge
from backend.accounts.sms import SmsUnavailable
from backend.common.retry import retry_or_give_up


@shared_task(name="backend.accounts.tasks.phone_codes_purge")
def phone_codes_purge() -> int:
    return _purge()


@shared_task(
    bind=True,
    name="backend.accounts.tasks.phone_code_deliver",
    max_retries=settings.SMS_MAX_RETRIES,
)
def phone_code_deliver(self: Any, phone: str) -> str:
    """A login code the SMS gateway could not take: a fresh one, retried with bounded
    backoff while the gateway is unavailable (short: a code lives minutes)."""
    try:
        phone_code_issue(phone=phone)
        return "sent"
    except SmsUnavailable as exc:

        def give_up() -> str:
            phone_code_give_up(phone=phone)
            return "failed"

        return retry_or_give_up(
            self,
            exc,
            base=settings.SMS_RETRY_BASE_SECONDS,
            cap=settings.SMS_RETRY_MAX_SECONDS,
            give_up=give_up,
        )
