"""Row locks of accounts, in one place. Call inside `transaction.atomic()`."""

from __future__ import annotations

from backend.accounts.models import PhoneCode


def phone_code_lock_latest(*, phone: str) -> PhoneCode | None:
    """The newest unused code of a phone, locked: two guesses never race on its attempts."""
    return (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
