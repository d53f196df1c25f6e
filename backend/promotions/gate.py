"""The flash-sale gate: one atomic Redis script admits a buyer (units left and the buyer's
cap, a repeated tap recognised by its key) before any database work; sold-out answers end
here. The database stays the truth (FlashSale.sold and the SKU's stock by conditional
updates): after a Redis flush the gate is rebuilt from it, and an admission whose order
fails gives its units back.

Keys (settings.FLASH_GATE_REDIS_URL, under REDIS_PREFIX): flash:<id>:left (int),
flash:<id>:buyers (hash buyer → units), flash:<id>:keys (set of buyer:key admitted)."""

from __future__ import annotations

import secrets
import time
from functools import lru_cache

import redis
from django.conf import settings

ADMIT = """
local left = redis.call('GET', KEYS[1])
if not left then return -3 end
if redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 1 then return -4 end
local want = tonumber(ARGV[2])
if tonumber(left) < want then return -1 end
local had = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if had + want > tonumber(ARGV[3]) then return -2 end
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('HINCRBY', KEYS[2], ARGV[1], want)
return redis.call('DECRBY', KEYS[1], want)
"""
GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -3 end
redis.call('SREM', KEYS[3], ARGV[3])
redis.call('HINCRBY', KEYS[2], ARGV[1], -tonumber(ARGV[2]))
return redis.call('INCRBY', KEYS[1], ARGV[2])
"""
LOAD = """
if redis.call('SETNX', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
"""

SOLD_OUT, OVER_CAP, NOT_LOADED, REPEATED = -1, -2, -3, -4
ENDED = -1  # the units-left value of a gate closed by the end of the sale


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)


def client() -> redis.Redis:
    return _client(settings.FLASH_GATE_REDIS_URL or settings.REDIS_URL)


def _keys(sale_id: int) -> list[str]:
    base = f"{settings.REDIS_PREFIX}:flash:{sale_id}"
    return [f"{base}:left", f"{base}:buyers", f"{base}:keys"]


def admit(*, sale_id: int, buyer_id: int, quantity: int, cap: int, key: str) -> int:
    """Units left after this admission (≥ 0), or SOLD_OUT, OVER_CAP, NOT_LOADED, REPEATED."""
    tap = f"{buyer_id}:{key}"
    return int(client().eval(ADMIT, 3, *_keys(sale_id), buyer_id, quantity, cap, tap))


def closed(*, sale_id: int) -> str:
    """ "sold_out" or "ended" when the gate turns everyone away, else "" (one GET; an
    unloaded gate is not closed)."""
    left = client().get(_keys(sale_id)[0])
    if left is None or int(left) > 0:
        return ""
    return "ended" if int(left) == ENDED else "sold_out"


def give_back(*, sale_id: int, buyer_id: int, quantity: int, key: str) -> None:
    client().eval(GIVE_BACK, 3, *_keys(sale_id), buyer_id, quantity, f"{buyer_id}:{key}")


def load(*, sale_id: int, left: int, buyers: dict[int, int]) -> bool:
    """Set the gate from the database's figures unless it is already there (a concurrent
    rebuild, or admissions since, win)."""
    pairs = [str(v) for buyer, units in buyers.items() for v in (buyer, units)]
    keys = _keys(sale_id)
    return bool(client().eval(LOAD, 2, keys[0], keys[1], left, *pairs))


def close(*, sale_id: int, ended: bool = False) -> None:
    """Sold out in the database, or ended by the streamer: the gate turns everyone away
    from now on (the script's "fewer left than wanted" for both)."""
    client().set(_keys(sale_id)[0], ENDED if ended else 0)


# Every attempt is recorded with its time; an attempt is let through while each key has at
# most its limit in the last window_s seconds (a sliding window: a fixed one let twice the
# limit through across its boundary).
RATE = """
local now, window, member = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local ok = 1
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil(window * 1000) + 1000)
  if redis.call('ZCARD', key) > tonumber(ARGV[3 + i]) then ok = 0 end
end
return ok
"""


def rate_allow(*, limits: list[tuple[str, str, int]], window_s: int = 10) -> bool:
    """At most `limit` buy attempts in any `window_s` seconds for each (scope, who, limit):
    an account and an address. One round trip for all of them."""
    keys = [f"{settings.REDIS_PREFIX}:flash:rate:{scope}:{who}" for scope, who, _n in limits]
    now = time.time()
    member = f"{now:.6f}:{secrets.token_hex(4)}"
    args: list[str | float] = [now, window_s, member, *(limit for _s, _w, limit in limits)]
    return bool(client().eval(RATE, len(keys), *keys, *args))
