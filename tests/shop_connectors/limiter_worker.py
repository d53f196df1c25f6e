"""Run by test_ratelimit in a separate process: N list calls against one shop; prints counts."""

from __future__ import annotations

import json
import sys

import redis

from shop_connectors.errors import RateLimited
from shop_connectors.ratelimit import Rate, RateTable, RedisRateLimiter
from shop_connectors.transport import RetryPolicy, Transport
from tests.shop_connectors.conftest import make_client


def main() -> None:
    base, token, calls, rate, redis_url, prefix = sys.argv[1:7]
    limiter = None
    if float(rate) > 0:
        table = RateTable(default=Rate(per_second=float(rate)))
        limiter = RedisRateLimiter(redis.Redis.from_url(redis_url), table, prefix=prefix)
    transport = Transport(retry=RetryPolicy(max_attempts=1), limiter=limiter)
    client = make_client("taobao", base, token, transport)
    ok = limited = 0
    for _ in range(int(calls)):
        try:
            client.couriers_list()
            ok += 1
        except RateLimited:
            limited += 1
    sys.stdout.write(json.dumps({"ok": ok, "limited": limited}) + "\n")


if __name__ == "__main__":
    main()
