"""One `redis.Redis` per process for code that speaks Redis directly (queues, flags, rate
limits), not through Django's cache: it is thread-safe, and its pool keeps the connections."""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)
