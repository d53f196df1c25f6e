"""Benchmark: N concurrent buyers against one SKU through the HTTP API on PostgreSQL.

Prints orders/s, p50/p99 latency and the oversell count (must be 0), beside the bare
conditional UPDATE of the same row measured in the same run, and their ratio.

    python tests/bench/bench_orders.py [--buyers 100] [--stock 60] [--requests 400]

It makes its own database (qs_bench) on the local PostgreSQL, starts daphne and the payment
sandbox on free ports, and removes everything afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DB", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
DB_NAME = "qs_bench"
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
os.environ.update(
    DATABASE_URL=DB_URL,
    DJANGO_SETTINGS_MODULE="backend.config.settings",
    CELERY_BROKER_URL="",
    REDIS_PREFIX=f"qsbench{os.getpid()}",
)

from tests import harness  # noqa: E402


def recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def seed(buyers: int, stock: int) -> tuple[int, list[str]]:
    import django

    django.setup()
    from backend.accounts.models import Organisation
    from backend.accounts.roles import Role
    from backend.accounts.services import api_token_create, user_create
    from backend.catalog.models import Category, Product, ProductStatus, Sku

    seller = Organisation.objects.create(name="压测合作社", kind="cooperative")
    product = Product.objects.create(
        seller=seller,
        title="压测蜂蜜",
        category=Category.objects.create(name="蜂蜜"),
        status=ProductStatus.ON_SALE,
    )
    sku = Sku.objects.create(
        product=product,
        seller=seller,
        spec_text="500g",
        price="68.00",
        stock=stock,
        weight_grams=760,
        outer_id="BENCH-1",
    )
    tokens = []
    for n in range(buyers):
        user = user_create(username=f"bench{n}", password=None, roles=[Role.BUYER])
        tokens.append(api_token_create(user=user, name="bench", expires_in_days=1)[1])
    return sku.pk, tokens


def http_run(base: str, sku_id: int, tokens: list[str], total: int) -> dict[str, float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_buyer = max(1, total // len(tokens))
    barrier = threading.Barrier(len(tokens))

    def buyer(token: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        barrier.wait()
        for _ in range(per_buyer):
            body = {
                "idempotency_key": uuid.uuid4().hex,
                "items": [{"sku_id": sku_id, "quantity": 1}],
                "consignee": {"name": "压测", "phone": "13900000000", "address": "沁水县龙港镇"},
            }
            started = time.perf_counter()
            response = session.post(f"{base}/api/v1/orders/checkouts", json=body, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    threads = [threading.Thread(target=buyer, args=(t,)) for t in tokens]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "wall": wall,
        "rps": len(latencies) / wall,
        "created": statuses.get(201, 0),
        "sold_out": statuses.get(409, 0),
        "other": sum(v for k, v in statuses.items() if k not in (201, 409)),
        "statuses": statuses,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def bare_update_run(sku_id: int, operations: int, clients: int) -> dict[str, float]:
    """The floor: the same conditional UPDATE, straight to PostgreSQL, in one transaction each."""
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("UPDATE catalog_sku SET stock = %s WHERE id = %s", (operations, sku_id))
    per_client = operations // clients
    barrier = threading.Barrier(clients)
    taken = [0] * clients

    def client(index: int) -> None:
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            barrier.wait()
            for _ in range(per_client):
                cur = conn.execute(
                    "UPDATE catalog_sku SET stock = stock - 1 WHERE id = %s AND stock >= 1",
                    (sku_id,),
                )
                taken[index] += cur.rowcount

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"tps": sum(taken) / wall, "taken": sum(taken), "clients": clients}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--stock", type=int, default=60)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    recreate_database()
    procs: list[harness.Process] = []
    try:
        sku_id, tokens = seed(args.buyers, args.stock)
        pay_proc, pay_url = harness.start_payment_sandbox(harness.base_env())
        procs.append(pay_proc)
        env = harness.base_env(
            DATABASE_URL=DB_URL,
            PAYMENT_SANDBOX_URL=pay_url,
            CELERY_BROKER_URL="",
            DEBUG="0",
            SECRET_KEY="bench-secret-bench-secret-bench-secret-42",
            LOG_LEVEL="ERROR",
            REDIS_PREFIX=os.environ["REDIS_PREFIX"],
        )
        web, base = harness.start_daphne(env)
        procs.append(web)
        result = http_run(base, sku_id, tokens, args.requests)
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute("SELECT stock FROM catalog_sku WHERE id=%s", (sku_id,)).fetchone()
            stock = row[0] if row else 0
            counted = conn.execute("SELECT count(*) FROM orders_order").fetchone()
            orders = counted[0] if counted else 0
        oversell = max(0, orders - args.stock) + max(0, -stock)
        bare = bare_update_run(sku_id, operations=4000, clients=16)
        print(
            f"HTTP checkout, {args.buyers} concurrent buyers, {result['requests']} requests, "
            f"stock {args.stock}:"
        )
        print(
            f"  {result['rps']:.1f} requests/s, {result['created']} orders "
            f"({result['created'] / result['wall']:.1f} orders/s over the run), "
            f"{result['sold_out']} sold out, {result['other']} other {result['statuses']}"
        )
        print(f"  latency p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms")
        print(f"  final stock {stock}, orders {orders}, oversell {oversell}")
        print(
            f"Baseline, bare conditional UPDATE of the same row ({bare['clients']} clients): "
            f"{bare['tps']:.0f} updates/s"
        )
        print(f"Ratio HTTP requests/s ÷ bare updates/s: {result['rps'] / bare['tps']:.4f}")
        if result["other"]:
            errors = [ln for ln in web.log().splitlines() if "Error" in ln or "error" in ln]
            print("  server errors (last lines):", *errors[-5:], sep="\n    ")
        if oversell:
            sys.exit("OVERSELL")
    finally:
        for proc in procs:
            proc.stop()
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
