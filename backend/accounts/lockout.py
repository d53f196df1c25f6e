"""Login lock-out, by django-axes (settings AXES_*): failures are counted per account *and*
address together, so a stranger's wrong passwords never lock the real owner out. The first
authentication backend refuses a locked pair; the API and the admin share the count.

These callables are named in the settings: the limits follow LOGIN_MAX_FAILURES and
LOGIN_LOCKOUT_SECONDS, and the answer says how long the lock lasts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from html import escape
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from backend.accounts.errors import AccountErrorCode
from backend.common.errors import Throttled
from backend.common.exceptions import error_response
from backend.common.throttling import client_ip


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int:
    return int(settings.LOGIN_MAX_FAILURES)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def lockout_seconds_left(*, username: str | None, ip_address: str | None) -> int:
    """Until the lock of this account at this address lifts (the cool-off runs from the
    failure that locked it; attempts during the lock do not extend it)."""
    last: datetime | None = AccessAttempt.objects.filter(
        username=username, ip_address=ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return int(settings.LOGIN_LOCKOUT_SECONDS)
    left = (last + cool_off() - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def locked_out(*, request: HttpRequest, username: str | None) -> Throttled:
    seconds = lockout_seconds_left(username=username, ip_address=_ip(request))
    minutes = max(1, math.ceil(seconds / 60))
    return Throttled(
        ngettext(
            "Too many failed logins from this address; try again in %(minutes)d minute.",
            "Too many failed logins from this address; try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code=AccountErrorCode.LOCKED_OUT,
        retry_after=seconds,
    )


def _ip(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out login gets: the API's error envelope, or a page for the admin."""
    # axes hands over the credentials of the locking attempt on the request (its async path
    # passes them in the place of original_response).
    creds = getattr(request, "axes_credentials", None) or credentials or {}
    error = locked_out(request=request, username=creds.get("username"))
    if request.path.startswith("/api/"):
        return error_response(429, error.code, error.message, error.extra)
    page = f'<!doctype html><meta charset="utf-8"><p>{escape(error.message)}</p>'
    response = HttpResponse(page, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(error.retry_after)
    return response
