from __future__ import annotations

from celery import shared_task

from backend.accounts.services_phone import phone_codes_purge as _purge


@shared_task(name="backend.accounts.tasks.phone_codes_purge")
def phone_codes_purge() -> int:
    return _purge()
