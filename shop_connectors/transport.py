"""HTTP transport shared by the requestors: timeouts, limiter, retries with backoff and jitter.

Retry rules (never a blind retry of a write):
* a rate limit (`RateLimited`) means the call was refused: wait what the platform asked, retry;
* connection refused / connect timeout means nothing was sent: retry;
* a read timeout, a 5xx or an `isp.*` fault after sending is *ambiguous* for a write: the
  error is raised with `ambiguous=True` so the client can reconcile (look up by outer id);
  idempotent calls (reads, absolute price/stock sets) are retried.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import requests

from shop_connectors.errors import ConnectorError, RateLimited, RemoteUnavailable
from shop_connectors.ratelimit import LimitKey, NoLimit, RateLimiter
from shop_connectors.redact import redact_text

log = logging.getLogger("shop_connectors.transport")
T = TypeVar("T")


@dataclass(frozen=True)
class HttpCall:
    method: str
    url: str
    params: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, str] | None = None
    json: object | None = None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    backoff_base: float = 0.2
    backoff_cap: float = 5.0
    max_rate_limit_wait: float = 30.0

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return rng() * min(self.backoff_cap, self.backoff_base * float(2.0**attempt))


class Transport:
    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 15.0),
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter: RateLimiter = limiter or NoLimit()
        self._sleep = sleep
        self._rng = rng

    def call(
        self,
        *,
        key: LimitKey,
        idempotent: bool,
        prepare: Callable[[], HttpCall],
        parse: Callable[[requests.Response], T],
    ) -> T:
        """`prepare` runs per attempt (fresh timestamp and signature); `parse` maps errors."""
        attempt = 0
        while True:
            self.limiter.acquire(key)
            started = time.monotonic()
            try:
                result = self._once(prepare(), parse)
            except ConnectorError as error:
                wait = self._retry_wait(error, idempotent=idempotent, attempt=attempt)
                self._log(key, attempt, started, error)
                if wait is None:
                    raise
                if isinstance(error, RateLimited):
                    self.limiter.penalize(key, error.wait)
                self._sleep(wait)
                attempt += 1
                continue
            self._log(key, attempt, started, None)
            return result

    def _once(self, call: HttpCall, parse: Callable[[requests.Response], T]) -> T:
        try:
            response = self.session.request(
                call.method,
                call.url,
                params=dict(call.params),
                data=dict(call.data) if call.data is not None else None,
                json=call.json,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except (requests.ConnectTimeout, requests.exceptions.ConnectionError) as exc:
            ambiguous = not isinstance(exc, requests.ConnectTimeout) and _was_sent(exc)
            raise RemoteUnavailable("connection failed", ambiguous=ambiguous) from None
        except requests.Timeout:
            raise RemoteUnavailable("read timed out", ambiguous=True) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise RemoteUnavailable(
                f"HTTP {response.status_code}",
                code=str(response.status_code),
                ambiguous=response.status_code != 429,
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
        return parse(response)

    def _retry_wait(self, error: ConnectorError, *, idempotent: bool, attempt: int) -> float | None:
        if attempt + 1 >= self.retry.max_attempts:
            return None
        if isinstance(error, RateLimited):
            if error.wait > self.retry.max_rate_limit_wait:
                return None
            return error.wait + self.retry.backoff(0, self._rng)
        if not isinstance(error, RemoteUnavailable):
            return None
        if error.ambiguous and not idempotent:
            return None
        if error.retry_after is not None:
            return min(error.retry_after, self.retry.max_rate_limit_wait)
        return self.retry.backoff(attempt, self._rng)

    def _log(
        self, key: LimitKey, attempt: int, started: float, error: ConnectorError | None
    ) -> None:
        log.info(
            "call %s %s attempt=%d ms=%d outcome=%s",
            key.platform,
            key.method,
            attempt + 1,
            int((time.monotonic() - started) * 1000),
            "ok" if error is None else f"{type(error).__name__}:{error.code}",
            extra={
                "platform": key.platform,
                "shop": key.shop,
                "api_method": key.method,
                "attempt": attempt + 1,
                "outcome": "ok" if error is None else type(error).__name__,
                "error_code": "" if error is None else error.code,
                "error_message": "" if error is None else redact_text(error.message),
            },
        )


def _was_sent(exc: Exception) -> bool:
    """A refused or reset-before-send connection executed nothing; anything else may have."""
    text = str(exc)
    return not any(word in text for word in ("Connection refused", "NewConnectionError"))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
