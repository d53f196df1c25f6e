"""Flash-sale benchmark on the production topology (nginx → gunicorn, a Celery worker,
PostgreSQL, Redis), as issue 20 asks:

    python tests/bench/bench_flash_sale.py [--duration 8] [--connections 2000]

In one run, at the same concurrency:
  * POST /api/v1/promotions/flash-sales/{id}/buy: 2,000 buyers (API tokens) on 100 units,
    cap 1 each: gate answers/s, orders/s, p50/p99; oversell checked in the database
    (orders, FlashSale.sold, the SKU's stock);
  * the ceiling: a bare endpoint behind the same nginx and gunicorn that runs only the same
    Redis script (tests/bench/bare_app.py /api/bare/gate), no proxy cache;
  * the Redis script alone (one client, pipelined), anchor ~60k ops/s;
  * PostgreSQL's hot-row conditional update, 16 clients, anchor ~2.8k/s.
The per-account and per-address limits are lifted for the run (one machine plays every
buyer from one address). Uses bench_web's database, topology and wrk helpers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.update(FLASH_RATE_PER_ACCOUNT="100000000", FLASH_RATE_PER_ADDRESS="100000000")

from tests.bench import bench_web as web  # noqa: E402

# A database of its own: bench_web's may be in use (and dropped) by its own run.
web.DB_NAME = "qs_bench_flash"
web.DB_URL = web.ADMIN_URL.rsplit("/", 1)[0] + f"/{web.DB_NAME}"
os.environ["DATABASE_URL"] = web.DB_URL

UNITS = 100
BUYERS = 2000
SCRIPT_ANCHOR = "~60,000 ops/s (issue 20)"
UPDATE_ANCHOR = "~2,800/s with 16 clients (machine notes)"
FLASH_LUA = (web.HERE / "wrk_flash.lua").read_text()


def seed(tokens_file: str) -> tuple[int, int]:
    import django

    django.setup()
    from django.utils import timezone

    from backend.accounts.roles import Role
    from backend.accounts.services import api_token_create, user_create
    from backend.live.models import LineupItem
    from backend.promotions.services_flash import FlashTerms, flash_create
    from tests.factories.records import session_held

    seeded = web.seed(tempfile.NamedTemporaryFile("w", delete=False).name)
    streamer = user_create(username="bench-streamer", password=None, roles=[Role.STREAMER])
    session = session_held(streamer=streamer, started=timezone.now(), state="live")
    LineupItem.objects.create(session=session, sku_id=seeded.sellout_sku, live_price="45.00")
    now = timezone.now()
    end = now + timedelta(hours=1)
    terms = FlashTerms(sku_id=seeded.sellout_sku, price=Decimal("39.90"), quantity=UNITS,
                       per_buyer_cap=1, starts_at=now, ends_at=end)  # fmt: skip
    sale = flash_create(by=streamer, session=session, terms=terms)
    with open(tokens_file, "w") as out:
        for n in range(BUYERS):
            user = user_create(username=f"flash{n}", password=None, roles=[Role.BUYER])
            out.write(api_token_create(user=user, name="bench", expires_in_days=1)[1] + "\n")
    return sale.pk, seeded.hot_sku


def script_alone(operations: int = 20000) -> float:
    from backend.promotions import gate

    client = gate.client()
    keys = [f"{web.PREFIX}:alone:left", f"{web.PREFIX}:alone:buyers", f"{web.PREFIX}:alone:k"]
    client.set(keys[0], 10**9)
    sha = client.script_load(gate.ADMIT)
    started = time.perf_counter()
    pipe = client.pipeline(transaction=False)
    for n in range(operations):
        pipe.evalsha(sha, 3, *keys, n, 1, 1, n)
        if n % 500 == 499:
            pipe.execute()
    pipe.execute()
    return operations / (time.perf_counter() - started)


def sold_in_db(sale_id: int) -> tuple[int, int, int]:
    """(orders at the flash price, FlashSale.sold, the SKU's stock) in one snapshot."""
    import psycopg

    with psycopg.connect(web.DB_URL) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        lines = conn.execute(
            "SELECT coalesce(sum(quantity), 0) FROM orders_orderline WHERE price_source=%s",
            (f"flash:{sale_id}",),
        ).fetchone()
        row = conn.execute(
            "SELECT f.sold, s.stock FROM promotions_flashsale f JOIN catalog_sku s "
            "ON s.id = f.sku_id WHERE f.id=%s",
            (sale_id,),
        ).fetchone()
    assert lines and row
    return int(lines[0]), int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=BUYERS)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    web.recreate_database()
    topology = web.Topology()
    tokens = tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False).name
    try:
        sale_id, hot_sku = seed(tokens)
        base, bare_base = web.start(topology, args)
        measure(args, sale_id, hot_sku, tokens, base, bare_base)
    finally:
        topology.stop()
        from django.db import connections

        connections.close_all()
        web.drop_database()
        os.unlink(tokens)


def measure(args, sale_id, hot_sku, tokens, base, bare_base) -> None:  # type: ignore[no-untyped-def]
    c, d, load = args.connections, args.duration, os.getloadavg()[0]
    web.wrk(f"{bare_base}/api/bare/gate", connections=10, seconds=2, lua=web.REPORT_LUA, args=[])
    bare = web.wrk(
        f"{bare_base}/api/bare/gate", connections=c, seconds=d, lua=web.REPORT_LUA, args=[]
    )
    buy = web.wrk(f"{base}/api/v1/promotions/flash-sales/{sale_id}/buy", connections=c,
                  seconds=d, lua=web.REPORT_LUA + FLASH_LUA,
                  args=[str(sale_id), tokens, uuid.uuid4().hex[:8]])  # fmt: skip
    time.sleep(3)
    units, sold, stock = sold_in_db(sale_id)
    alone = script_alone()
    updates = web.bare_update_run(hot_sku, operations=4000, clients=16)
    created = buy.count(201)
    print(f"Flash sale on the production topology: nginx → gunicorn ({args.worker_class}); "
          f"wrk -t2 -c{c}, {d} s each; load average {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after.")  # fmt: skip
    print(f"{'':<40} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'÷bare gate':>10}")
    print(web.row(f"bare gate endpoint (ceiling), c{c}", bare, bare.rps))
    print(
        web.row(f"POST flash buy, {BUYERS} buyers, {UNITS} units", buy, bare.rps)
        + f"statuses {dict(sorted(buy.statuses.items()))}, socket errors {buy.socket_errors}"
    )
    print(
        f"{'orders created':<40} {created:>9} ({created / buy.seconds:.1f} orders/s over the run)"
    )
    print(f"{'Redis script alone (pipelined)':<40} {alone:>9.0f} ops/s   anchor {SCRIPT_ANCHOR}")
    print(
        f"{'hot-row conditional UPDATE, 16 clients':<40} {updates:>9.0f} /s"
        f"      anchor {UPDATE_ANCHOR}"
    )
    print(f"In the database: {units} units at the flash price, sold {sold}, stock left {stock}; "
          f"oversell {max(0, units - UNITS)}")  # fmt: skip
    if units > UNITS or sold != units or stock < 0:
        sys.exit("OVERSELL or inconsistent figures")


if __name__ == "__main__":
    main()
