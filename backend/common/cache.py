"""Django's Redis cache with its clients made once per process instead of once per call.

Django's RedisCacheClient builds a new `redis.Redis` for every operation (hundreds of
dictionary writes each): on a cached read that was a fifth of the request. A `redis.Redis`
is thread-safe (its pool hands out connections), so one for writes and one for reads are
kept (with read replicas, a process reads from the one it drew first).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import Redis


class _KeptClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Redis:
        client = self._clients.get(write)
        if client is None:
            client = self._clients.setdefault(write, super().get_client(key, write=write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _KeptClients
