"""The room's shared, high-rate state in Redis: presence by heartbeat, likes, the per-minute
counters and the room feed (a capped stream every daphne process reads once per tick).

Keys (all under settings.REDIS_PREFIX and the room's group name, `live.room.<id>:`):
  presence   zset  viewer key -> last heartbeat (epoch s); counted within PRESENCE_TTL_S
  state      hash  likes, peak, watch_s (session totals)
  uv         HLL   unique viewers of the session
  m:<min>    hash  likes, peak of one minute (min = epoch seconds // 60)
  uv:<min>   HLL   unique viewers seen in one minute
  feed       stream {f: frame json} comments, moderation and the order ticker, in order
  rate:<uid> / slow:<uid>   the chat limits of one user

Nothing here is per click: a process sums likes and heartbeats in memory and flushes them
with one script call per tick (hub.py).
"""

from __future__ import annotations

import json
import time
import uuid
from functools import lru_cache
from typing import Any

import redis
import redis.asyncio as aredis
from django.conf import settings

from backend.live import groups

TICK_S = float(getattr(settings, "LIVE_TICK_S", 0.25))  # 4 ticks per second
PRESENCE_TTL_S = int(getattr(settings, "LIVE_PRESENCE_TTL_S", 40))  # heartbeats every 15 s
FEED_MAXLEN = 2000
KEY_TTL_S = 3 * 86400


def key(session_id: int, name: str) -> str:
    return f"{settings.REDIS_PREFIX}:{groups.room(session_id)}:{name}"


def minute_of(at: float) -> int:
    return int(at // 60)


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)


def client() -> redis.Redis:
    return _client(settings.REDIS_URL)


def feed_add(session_id: int, event_type: str, payload: dict[str, Any]) -> None:
    """Append a frame to the room's feed (call after commit: services use on_commit)."""
    frame = json.dumps({"type": event_type, "payload": payload}, ensure_ascii=False)
    client().xadd(key(session_id, "feed"), {"f": frame}, maxlen=FEED_MAXLEN, approximate=True)


def feed_recent(session_id: int, count: int) -> list[dict[str, Any]]:
    entries: list[Any] = list(client().xrevrange(key(session_id, "feed"), count=count) or [])
    return [json.loads(fields["f"]) for _id, fields in reversed(entries)]


# A sliding window: the times of the comments let through in the last window_s seconds;
# one more is let through (and recorded) only while there are fewer than `limit`. A fixed
# window let a burst of twice the limit through across its boundary.
_RATE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
return 1
"""


def rate_allow(session_id: int, user_id: int, *, limit: int, window_s: int) -> bool:
    """At most `limit` comments in any `window_s` seconds for one user (sliding window)."""
    now = time.time()
    member = f"{now:.6f}:{uuid.uuid4().hex[:8]}"
    name = key(session_id, f"rate:{user_id}")
    return bool(client().eval(_RATE, 1, name, now, window_s, limit, member))


def slow_allow(session_id: int, user_id: int, *, seconds: int) -> bool:
    """Slow mode: one comment per `seconds` per user."""
    return bool(client().set(key(session_id, f"slow:{user_id}"), 1, nx=True, ex=seconds))


# One call per tick per room per process: flush likes and heartbeats, read the shared
# totals and the feed after `last_id`. Returns [likes, viewers, peak, last_id, f1, f2, ...].
_TICK = """
local presence_k, state_k, uv_k, feed_k, minute_k, muv_k = unpack(KEYS)
local likes, now, ttl, last_id, keep = tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
if likes > 0 then
  redis.call('HINCRBY', state_k, 'likes', likes)
  redis.call('HINCRBY', minute_k, 'likes', likes)
end
for i = 6, #ARGV do
  local viewer = ARGV[i]
  local prev = redis.call('ZSCORE', presence_k, viewer)
  if prev and now - tonumber(prev) <= ttl then
    redis.call('HINCRBYFLOAT', state_k, 'watch_s', now - tonumber(prev))
  end
  redis.call('ZADD', presence_k, now, viewer)
  redis.call('PFADD', uv_k, viewer)
  redis.call('PFADD', muv_k, viewer)
end
redis.call('ZREMRANGEBYSCORE', presence_k, '-inf', now - ttl)
local viewers = redis.call('ZCARD', presence_k)
local peak = tonumber(redis.call('HGET', state_k, 'peak') or '0')
if viewers > peak then peak = viewers; redis.call('HSET', state_k, 'peak', peak) end
local mpeak = tonumber(redis.call('HGET', minute_k, 'peak') or '0')
if viewers > mpeak then redis.call('HSET', minute_k, 'peak', viewers) end
for _, k in ipairs({state_k, uv_k, minute_k, muv_k, presence_k}) do
  redis.call('EXPIRE', k, keep)
end
local out = {tonumber(redis.call('HGET', state_k, 'likes') or '0'), viewers, peak}
local entries
if last_id == '' then
  entries = {}
  local top = redis.call('XREVRANGE', feed_k, '+', '-', 'COUNT', 1)
  if #top > 0 then last_id = top[1][1] else last_id = '0-0' end
else
  entries = redis.call('XRANGE', feed_k, '(' .. last_id, '+', 'COUNT', 500)
end
table.insert(out, last_id)
for _, entry in ipairs(entries) do
  out[4] = entry[1]
  table.insert(out, entry[2][2])
end
return out
"""


def _tick_keys(session_id: int, at: float) -> list[str]:
    minute = minute_of(at)
    names = ["presence", "state", "uv", "feed", f"m:{minute}", f"uv:{minute}"]
    return [key(session_id, name) for name in names]


def _tick_args(likes: int, at: float, last_id: str, beats: list[str]) -> list[Any]:
    return [likes, at, PRESENCE_TTL_S, last_id, KEY_TTL_S, *beats]


def tick_sync(
    session_id: int, *, likes: int = 0, beats: list[str] | None = None, at: float | None = None,
    last_id: str = "",
) -> list[Any]:  # fmt: skip
    """The tick script from sync code (metrics tests, scripts)."""
    at = time.time() if at is None else at
    script = client().register_script(_TICK)
    return list(
        script(keys=_tick_keys(session_id, at), args=_tick_args(likes, at, last_id, beats or []))
    )


_ASYNC: dict[int, tuple[aredis.Redis, Any]] = {}


def _async_client() -> tuple[aredis.Redis, Any]:
    import asyncio

    loop_id = id(asyncio.get_running_loop())
    found = _ASYNC.get(loop_id)
    if found is None:
        conn = aredis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
        found = (conn, conn.register_script(_TICK))
        _ASYNC.clear()  # one event loop per process in daphne; tests make new ones
        _ASYNC[loop_id] = found
    return found


async def tick(
    session_id: int, *, likes: int, beats: list[str], last_id: str
) -> tuple[int, int, int, str, list[str]]:
    _conn, script = _async_client()
    at = time.time()
    out = await script(keys=_tick_keys(session_id, at), args=_tick_args(likes, at, last_id, beats))
    return int(out[0]), int(out[1]), int(out[2]), str(out[3]), [str(f) for f in out[4:]]


async def likers_add(session_id: int, user_ids: set[int]) -> None:
    """Who liked, with the time of their last like (a like lottery's entry condition)."""
    conn, _script = _async_client()
    now = time.time()
    name = key(session_id, "likers")
    await conn.zadd(name, {str(u): now for u in user_ids})
    await conn.expire(name, KEY_TTL_S)


def liked_since(session_id: int, user_id: int, *, since: float) -> bool:
    """The user liked the session at `since` or later (as the room's ticks recorded it)."""
    score = client().zscore(key(session_id, "likers"), str(user_id))
    return score is not None and float(score) >= since


def totals(session_id: int) -> dict[str, Any]:
    conn = client()
    state = conn.hgetall(key(session_id, "state"))
    now = time.time()
    viewers = conn.zcount(key(session_id, "presence"), now - PRESENCE_TTL_S, "+inf")
    return {
        "likes": int(state.get("likes", 0)),
        "peak": int(state.get("peak", 0)),
        "watch_s": round(float(state.get("watch_s", 0))),
        "unique_viewers": int(conn.pfcount(key(session_id, "uv"))),
        "viewers": int(viewers),
    }


def minute_counts(session_id: int, minute: int) -> tuple[int, int, int]:
    """(unique viewers, peak concurrent, likes) of one minute."""
    conn = client()
    hashed = conn.hgetall(key(session_id, f"m:{minute}"))
    uv = conn.pfcount(key(session_id, f"uv:{minute}"))
    return int(uv), int(hashed.get("peak", 0)), int(hashed.get("likes", 0))
