"""Phone one-time codes: send, verify, purge. (Split from services.py for size.)

Phone login is for buyer accounts only. Sends are limited per phone (the resend interval), per
client address per day and per day in all (SMS costs money); failed logins count towards the
lock-out of that phone at that address (django-axes, as password logins do).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.errors import AccountErrorCode
from backend.accounts.lock_objects import phone_code_lock_latest
from backend.accounts.lockout import locked_out
from backend.accounts.models import PhoneCode, User
from backend.accounts.roles import Role
from backend.accounts.services import buyer_get_or_create_by_phone, user_set_password
from backend.accounts.sms import SmsUnavailable, get_sms_provider
from backend.common.errors import Conflict, DomainError, Throttled
from backend.common.permissions import user_role_names

CODE_DIGITS = 6


@dataclass(frozen=True)
class CodeSent:
    expires_in: int
    resend_in: int
    sent: bool  # False: the SMS gateway was unavailable; a task is retrying


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


def phone_code_send(*, phone: str, ip: str | None) -> CodeSent:
    """Send a fresh random code: at most once per resend interval per phone, and within the
    day's caps per client address and in all. When the SMS gateway is unavailable the answer
    says so (sent=False) and a task retries with bounded backoff; the resend interval stays
    taken meanwhile."""
    wait = settings.PHONE_CODE_RESEND_SECONDS
    # cache.add is an atomic SET NX: of two racing requests only one may send.
    if not cache.add(_throttle_key(phone), "1", timeout=wait):
        ttl = cache.ttl(_throttle_key(phone)) if hasattr(cache, "ttl") else wait
        raise Throttled(
            _("A code was sent recently; wait before asking again."),
            code=AccountErrorCode.CODE_THROTTLED,
            retry_after=max(1, int(ttl or wait)),
        )
    taken: list[str] = []
    try:
        taken.append(_day_cap_take(f"ip:{ip}", settings.PHONE_CODE_SENDS_PER_IP_PER_DAY))
        taken.append(_day_cap_take("all", settings.PHONE_CODE_SENDS_PER_DAY))
        try:
            phone_code_issue(phone=phone)
            sent = True
        except SmsUnavailable:
            phone_code_deliver_later(phone)
            sent = False
    except Exception:
        cache.delete(_throttle_key(phone))
        for key in taken:
            cache.decr(key)
        raise
    return CodeSent(expires_in=settings.PHONE_CODE_TTL_SECONDS, resend_in=wait, sent=sent)


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - now).total_seconds()))


def _day_cap_take(scope: str, limit: int) -> str:
    """Count one send against today's cap of `scope` (atomic INCR); refuse past the cap."""
    key = f"phone-code:day:{timezone.localdate().isoformat()}:{scope}"
    until_midnight = _seconds_to_midnight()
    cache.add(key, 0, timeout=until_midnight + 60)
    if int(cache.incr(key)) <= limit:
        return key
    cache.decr(key)
    if scope == "all":
        raise Throttled(
            _("Today's SMS codes are used up; try again tomorrow, or log in with a password."),
            code=AccountErrorCode.SMS_DAILY_LIMIT,
            retry_after=until_midnight,
        )
    raise Throttled(
        _("Too many codes were asked for from this address today; try again tomorrow."),
        code=AccountErrorCode.CODE_THROTTLED,
        retry_after=until_midnight,
    )


def phone_code_issue(*, phone: str) -> None:
    """Store a fresh code (retiring the older ones), then send it, outside the transaction:
    the gateway may take seconds. A code the gateway did not take is retired at once (only
    its hash is kept, so a retry sends a new one). Raises SmsUnavailable."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    ttl_seconds = settings.PHONE_CODE_TTL_SECONDS
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=timezone.now())
        row = PhoneCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code),
            expires_at=timezone.now() + timedelta(seconds=ttl_seconds),
        )
    text = _("Your Qinshui login code is %(code)s, valid for %(minutes)d minutes.") % {
        "code": code,
        "minutes": ttl_seconds // 60,
    }
    try:
        get_sms_provider().send(phone=phone, text=text)
    except SmsUnavailable:
        PhoneCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
        raise


def phone_code_deliver_later(phone: str) -> None:
    from backend.accounts.tasks import phone_code_deliver

    transaction.on_commit(lambda: phone_code_deliver.delay(phone))


def phone_code_give_up(*, phone: str) -> None:
    """The gateway stayed down: free the resend interval so the person may ask again."""
    cache.delete(_throttle_key(phone))


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


def _code_accepted(*, phone: str, code: str) -> None:
    """Use up a right code, or say why it is refused."""
    outcome = _phone_code_check(phone=phone, code=code)
    if outcome is not _Outcome.OK:
        raise _refusal(outcome, phone=phone)


def phone_code_login(*, request: HttpRequest, phone: str, code: str) -> User:
    """Verify a code (once) and return the buyer with that phone, signing them up if new.
    For an account that is not a buyer's the right code gets the answer a wrong one gets."""
    credentials = {"username": phone}
    if not AxesProxyHandler.is_allowed(request, credentials):
        raise locked_out(request=request, username=phone)
    outcome = _phone_code_check(phone=phone, code=code)
    if outcome is _Outcome.OK and not _may_log_in_by_phone(phone=phone):
        outcome = _Outcome.WRONG
    if outcome is not _Outcome.OK:
        # Counted by django-axes like a failed password login; the limit locks this address.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            raise locked_out(request=request, username=phone)
        raise _refusal(outcome, phone=phone)
    user = buyer_get_or_create_by_phone(phone=phone)
    if not user.is_active:
        raise DomainError(
            _("This account is disabled."), code=AccountErrorCode.ACCOUNT_INACTIVE, status=403
        )
    axes_reset(ip=request.axes_ip_address, username=phone)  # type: ignore[attr-defined]
    return user


def user_password_set_by_code(*, user: User, code: str, new_password: str) -> User:
    """A user who signed up by phone has no password: a code sent to that phone sets one.
    Users with a password change it with the current one instead."""
    if user.has_usable_password() or not user.phone:
        raise Conflict(_("This account has a password; change it with the current one."))
    _code_accepted(phone=user.phone, code=code)
    return user_set_password(user=user, new_password=new_password)


def _may_log_in_by_phone(*, phone: str) -> bool:
    """A new phone signs up a buyer; an existing account must be a buyer's and nothing more."""
    user = User.objects.filter(phone=phone).first()
    if user is None:
        return True
    plain_buyer = user_role_names(user) == {Role.BUYER.value}
    return plain_buyer and not user.is_staff and not user.is_superuser


def _refusal(outcome: _Outcome, *, phone: str) -> DomainError:
    """Why a code is refused. A code burnt by wrong tries frees the resend wait, so the
    person may ask for a new one at once."""
    if outcome is _Outcome.EXPIRED:
        return DomainError(
            _("The code has expired; ask for a new one."), code=AccountErrorCode.CODE_EXPIRED
        )
    if outcome is _Outcome.EXHAUSTED:
        cache.delete(_throttle_key(phone))
        return DomainError(
            _("Too many wrong attempts; ask for a new code."), code=AccountErrorCode.CODE_EXPIRED
        )
    return DomainError(_("The code is wrong."), code=AccountErrorCode.CODE_INVALID)


def phone_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _detail = PhoneCode.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted
