"""Token buckets per (platform, app, shop, method).

`MemoryRateLimiter` serves one process; `RedisRateLimiter` shares the buckets between every
process calling the same shop (the bucket lives in Redis and is updated by one Lua script, so
two workers never both take the last token). Both also honour a platform's own ban: after
`RateLimited(wait=N)` the key is blocked for N seconds for everyone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import redis

_EPSILON = 1e-9


@dataclass(frozen=True)
class LimitKey:
    platform: str
    app: str
    shop: str
    method: str

    def as_str(self) -> str:
        return f"{self.platform}:{self.app}:{self.shop}:{self.method}"


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: float = 1.0


@dataclass(frozen=True)
class RateTable:
    """Rates by method name; `default` applies to methods not listed (None = unlimited)."""

    default: Rate | None = None
    methods: Mapping[str, Rate] = field(default_factory=dict)

    def for_method(self, method: str) -> Rate | None:
        return self.methods.get(method, self.default)


class RateLimiter(Protocol):
    def acquire(self, key: LimitKey) -> None: ...

    def penalize(self, key: LimitKey, wait: float) -> None: ...


class NoLimit:
    def acquire(self, key: LimitKey) -> None:
        return None

    def penalize(self, key: LimitKey, wait: float) -> None:
        return None


class MemoryRateLimiter:
    def __init__(
        self,
        rates: RateTable,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rates = rates
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self._blocked: dict[str, float] = {}

    def _try(self, key: LimitKey, rate: Rate) -> float:
        """Take a token now (return 0) or return how long to wait for one."""
        name = key.as_str()
        now = self._clock()
        with self._lock:
            blocked = self._blocked.get(name, 0.0)
            if blocked > now:
                return blocked - now
            tokens, stamp = self._buckets.get(name, (rate.burst, now))
            tokens = min(rate.burst, tokens + (now - stamp) * rate.per_second)
            if tokens >= 1.0 - _EPSILON:  # float refill may land a hair below a whole token
                self._buckets[name] = (max(0.0, tokens - 1.0), now)
                return 0.0
            self._buckets[name] = (tokens, now)
            return (1.0 - tokens) / rate.per_second

    def acquire(self, key: LimitKey) -> None:
        rate = self._rates.for_method(key.method)
        if rate is None:
            return
        while (wait := self._try(key, rate)) > 0:
            self._sleep(wait)

    def penalize(self, key: LimitKey, wait: float) -> None:
        with self._lock:
            until = self._clock() + wait
            name = key.as_str()
            self._blocked[name] = max(self._blocked.get(name, 0.0), until)


# GCRA: each caller reserves the next slot (the theoretical arrival time, TAT) and sleeps
# until it, once. A caller that wakes late does not delay the ones after it (a polled token
# bucket with a burst of one lost every late wake-up: about 6 % of the rate at 50/s). In any
# stretch of t seconds at most rate * t + burst calls start. Answers {1, wait_us} (reserved:
# go after the wait) or {0, wait_us} (the platform blocked the key: ask again after it).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = 1000000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return {0, blocked - now} end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(tat, now - (burst - 1) * interval)
local after = start + interval
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.ceil((after - now) / 1000) + 1000)
return {1, math.floor(start - now)}
"""

_BLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = tonumber(ARGV[1])
local until_ = now + wait
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > current then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', math.ceil(wait / 1000) + 1)
end
return 0
"""


class RedisRateLimiter:
    """The same bucket shared through Redis; time comes from the Redis server's clock."""

    def __init__(
        self,
        client: redis.Redis,
        rates: RateTable,
        *,
        prefix: str = "shop_connectors:rl:",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._redis = client
        self._rates = rates
        self._prefix = prefix
        self._sleep = sleep
        self._take = client.register_script(_TAKE)
        self._block = client.register_script(_BLOCK)

    def _keys(self, key: LimitKey) -> list[str]:
        base = self._prefix + key.as_str()
        return [base + ":tat", base + ":blocked"]

    def reserve(self, key: LimitKey, rate: Rate) -> tuple[bool, float]:
        """(reserved, seconds to wait): reserved, go after the wait; else ask again after it."""
        answer = self._take(keys=self._keys(key), args=[rate.per_second, rate.burst])
        return bool(int(answer[0])), max(0, int(answer[1])) / 1_000_000

    def acquire(self, key: LimitKey) -> None:
        rate = self._rates.for_method(key.method)
        if rate is None:
            return
        while True:
            reserved, wait = self.reserve(key, rate)
            if wait > 0:
                self._sleep(wait)
            if reserved:
                return

    def penalize(self, key: LimitKey, wait: float) -> None:
        self._block(keys=[self._keys(key)[1]], args=[int(wait * 1_000_000)])
