"""Phone one-time codes: send, verify, purge. (Split from services.py for size.)"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.errors import AccountErrorCode
from backend.accounts.lock_objects import phone_code_lock_latest
from backend.accounts.models import PhoneCode, User
from backend.accounts.services import buyer_get_or_create_by_phone
from backend.accounts.sms import get_sms_provider
from backend.common.errors import DomainError, Throttled

CODE_DIGITS = 6


@dataclass(frozen=True)
class CodeSent:
    expires_in: int
    resend_in: int


class _Outcome(Enum):
    OK = "ok"
    NO_CODE = "no_code"
    EXPIRED = "expired"
    WRONG = "wrong"
    EXHAUSTED = "exhausted"


def _code_hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _throttle_key(phone: str) -> str:
    return f"phone-code:resend:{phone}"


def phone_code_send(*, phone: str) -> CodeSent:
    """Send a fresh random code, at most once per resend interval per phone."""
    wait = settings.PHONE_CODE_RESEND_SECONDS
    # cache.add is an atomic SET NX: of two racing requests only one may send.
    if not cache.add(_throttle_key(phone), "1", timeout=wait):
        ttl = cache.ttl(_throttle_key(phone)) if hasattr(cache, "ttl") else wait
        raise Throttled(
            _("A code was sent recently; wait before asking again."),
            code=AccountErrorCode.CODE_THROTTLED,
            retry_after=max(1, int(ttl or wait)),
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    ttl_seconds = settings.PHONE_CODE_TTL_SECONDS
    try:
        with transaction.atomic():
            PhoneCode.objects.filter(phone=phone, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            PhoneCode.objects.create(
                phone=phone,
                code_hash=_code_hash(phone, code),
                expires_at=timezone.now() + timedelta(seconds=ttl_seconds),
            )
            text = _("Your Qinshui login code is %(code)s, valid for %(minutes)d minutes.") % {
                "code": code,
                "minutes": ttl_seconds // 60,
            }
            get_sms_provider().send(phone=phone, text=text)
    except Exception:
        cache.delete(_throttle_key(phone))
        raise
    return CodeSent(expires_in=ttl_seconds, resend_in=wait)


def _phone_code_check(*, phone: str, code: str) -> _Outcome:
    now = timezone.now()
    with transaction.atomic():
        row = phone_code_lock_latest(phone=phone)
        if row is None:
            return _Outcome.NO_CODE
        if row.expires_at <= now:
            return _Outcome.EXPIRED
        if row.attempts >= settings.PHONE_CODE_MAX_ATTEMPTS:
            return _Outcome.EXHAUSTED
        if not hmac.compare_digest(row.code_hash, _code_hash(phone, code)):
            PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            return _Outcome.WRONG
        PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
        return _Outcome.OK


def phone_code_login(*, phone: str, code: str) -> User:
    """Verify a code (once) and return the buyer with that phone, signing them up if new."""
    outcome = _phone_code_check(phone=phone, code=code)
    if outcome is _Outcome.EXPIRED:
        raise DomainError(
            _("The code has expired; ask for a new one."), code=AccountErrorCode.CODE_EXPIRED
        )
    if outcome is _Outcome.EXHAUSTED:
        raise DomainError(
            _("Too many wrong attempts; ask for a new code."), code=AccountErrorCode.CODE_EXPIRED
        )
    if outcome is not _Outcome.OK:
        raise DomainError(_("The code is wrong."), code=AccountErrorCode.CODE_INVALID)
    user = buyer_get_or_create_by_phone(phone=phone)
    if not user.is_active:
        raise DomainError(
            _("This account is disabled."), code=AccountErrorCode.ACCOUNT_INACTIVE, status=403
        )
    return user


def phone_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _detail = PhoneCode.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted
