"""Token buckets in memory and in Redis, shared by processes; RateLimited waits obeyed."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
import redis

from shop_connectors.ratelimit import (
    LimitKey,
    MemoryRateLimiter,
    Rate,
    RateTable,
    RedisRateLimiter,
)
from tests.shop_connectors.conftest import ROOT, fast_transport, make_client, prepare

REDIS_URL = "redis://127.0.0.1:6379/9"
KEY = LimitKey("taobao", "app", "shop", "taobao.items.onsale.get")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"test:shop_connectors:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = list(client.scan_iter(prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_memory_bucket_spaces_calls_at_the_rate():
    clock = FakeClock()
    limiter = MemoryRateLimiter(
        RateTable(default=Rate(per_second=10)), clock=clock.time, sleep=clock.sleep
    )
    for _ in range(11):
        limiter.acquire(KEY)
    assert clock.now == pytest.approx(101.0)


def test_memory_bucket_is_per_method_and_unlimited_methods_pass():
    clock = FakeClock()
    table = RateTable(methods={KEY.method: Rate(per_second=1)})
    limiter = MemoryRateLimiter(table, clock=clock.time, sleep=clock.sleep)
    other = LimitKey("taobao", "app", "shop", "taobao.trade.fullinfo.get")
    for _ in range(5):
        limiter.acquire(other)
    limiter.acquire(KEY)
    assert clock.slept == []


def test_memory_penalty_blocks_the_key_for_the_platform_wait():
    clock = FakeClock()
    limiter = MemoryRateLimiter(
        RateTable(default=Rate(per_second=100)), clock=clock.time, sleep=clock.sleep
    )
    limiter.penalize(KEY, 2.0)
    limiter.acquire(KEY)
    assert clock.slept == [pytest.approx(2.0)]


def test_redis_bucket_is_shared_between_limiters(redis_prefix):
    client, prefix = redis_prefix
    slept: list[float] = []
    table = RateTable(default=Rate(per_second=5))
    first = RedisRateLimiter(client, table, prefix=prefix, sleep=slept.append)
    second = RedisRateLimiter(client, table, prefix=prefix, sleep=lambda s: None)

    first.acquire(KEY)
    reserved, wait = second.reserve(KEY, Rate(per_second=5))
    assert reserved is True and 0 < wait <= 0.2  # the slot after the first one's
    reserved, wait = second.reserve(KEY, Rate(per_second=5))
    assert reserved is True and 0.2 < wait <= 0.4  # and the one after that
    assert slept == []
    second.penalize(KEY, 1.5)
    reserved, wait = first.reserve(KEY, Rate(per_second=5))
    assert reserved is False and 1.0 < wait <= 1.5


def _run_two(base: str, token: str, calls: int, rate: float, prefix: str) -> list[dict]:
    args = [base, token, str(calls), str(rate), REDIS_URL, prefix]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.shop_connectors.limiter_worker", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    return [json.loads(w.communicate(timeout=60)[0]) for w in workers]


def test_two_processes_at_ninety_percent_see_no_limit_error(sandboxes, redis_prefix):
    _, prefix = redis_prefix
    sandbox = sandboxes["taobao"]
    token = prepare(sandbox)
    sandbox.control("limits", {"methods": {"taobao.logistics.companies.get": 20}})

    results = _run_two(sandbox.base, token, calls=27, rate=18.0, prefix=prefix)

    assert results == [{"ok": 27, "limited": 0}, {"ok": 27, "limited": 0}]
    assert sandbox.state()["limited"] == {}


def test_without_the_limiter_the_sandbox_answers_with_code_7(sandboxes, redis_prefix):
    _, prefix = redis_prefix
    sandbox = sandboxes["taobao"]
    token = prepare(sandbox)
    sandbox.control("limits", {"methods": {"taobao.logistics.companies.get": 20}})

    results = _run_two(sandbox.base, token, calls=40, rate=0, prefix=prefix)

    limited = sum(r["limited"] for r in results)
    assert limited > 0
    assert sum(r["ok"] for r in results) + limited == 80
    assert sandbox.state()["limited"] == {"taobao.logistics.companies.get": limited}


def test_rate_limited_wait_is_obeyed_then_the_call_succeeds(sandboxes):
    sandbox = sandboxes["taobao"]
    slept: list[float] = []
    clock = FakeClock()
    limiter = MemoryRateLimiter(RateTable(), clock=clock.time, sleep=clock.sleep)
    transport = fast_transport(limiter=limiter)
    transport._sleep = lambda s: (slept.append(s), __import__("time").sleep(s))  # type: ignore[method-assign]
    client = make_client("taobao", sandbox.base, prepare(sandbox), transport)
    sandbox.control("limits", {"default": 1})

    client.couriers_list()
    couriers = client.couriers_list()

    assert len(couriers) == 7
    assert len(slept) == 1 and 1.0 <= slept[0] <= 1.05
    assert limiter._blocked  # the platform's ban was recorded for every caller of this key
    assert sandbox.state()["limited"] == {"taobao.logistics.companies.get": 1}
