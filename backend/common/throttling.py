"""Who is asking (the client's address) and per-address rate limits for endpoints.

The address is REMOTE_ADDR, unless TRUSTED_PROXY_HOPS proxies of our own stand in front: then
it is the entry of X-Forwarded-For that the outermost of them appended (entries to its left
are whatever the client sent, and prove nothing). The login lock-out (django-axes) and the
throttles below use the same answer.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _address(value: object) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the request carries none (a test's bare request)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    entries = [part for part in forwarded.split(",") if part.strip()]
    if hops <= 0 or len(entries) < hops:
        return remote
    return _address(entries[-hops]) or remote


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate like "5/m" as (5, 60): so many requests per second, minute, hour or day."""
    count, _slash, unit = rate.partition("/")
    return int(count), _PERIODS[unit.strip()[:1]]


class IpRateThrottle(BaseThrottle):
    """At most the rate in setting `setting` per client address, in fixed windows counted
    atomically in Redis (INCR), so concurrent requests cannot slip past the limit. The rate
    is read at each request, so it follows the settings."""

    def __init__(self, *, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting

    def _rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        limit, period = self._rate()
        window = int(time.time()) // period
        key = f"throttle:{self.scope}:{client_ip(request) or 'unknown'}:{window}"
        cache.add(key, 0, timeout=period + 1)
        return int(cache.incr(key)) <= limit

    def wait(self) -> float:
        _limit, period = self._rate()
        return max(1.0, period - time.time() % period)
