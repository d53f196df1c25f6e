"""Stores benchmark (`make bench`): 1,000 SKUs to each sandbox through the stores app.

For each platform: bind a store by OAuth, map its category, then publish 100 products x 10
SKUs with the sandbox limit at 50 calls/s per method and the app's own limiter (Redis,
shared by workers) at the same rate, as one sync job run by the task (jobs, hashes and
listings in PostgreSQL). Prints the wall time beside the floor the limit implies (the
busiest method's calls / 50), then an unchanged re-sync: its write calls (must be 0) and
wall time.

    python tests/bench/bench_stores.py

It makes its own database (qs_bench_stores) on the local PostgreSQL and drops it after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DB", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
DB_NAME = "qs_bench_stores"
os.environ.update(
    DATABASE_URL=ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}",
    DJANGO_SETTINGS_MODULE="backend.config.settings",
    CELERY_BROKER_URL="",  # the job's task runs in this process (eager)
    EVENTS_INLINE="1",
    REDIS_PREFIX=f"qsbenchstores{os.getpid()}",
)

from tests.bench.production_env import production_env  # noqa: E402
from tests.shop_connectors.conftest import start_sandbox, stop_sandbox  # noqa: E402

os.environ.update(production_env())

LIMIT = 50
PRODUCTS, SKUS = 100, 10
WRITE_MARKS = ("add", "update", "listing", "sale.status.set", ".write.")
LEAVES = {"taobao": ("50002766", "50016422"), "pinduoduo": ("8172", "8439"),
          "jd": ("1584", "12202")}  # fmt: skip


def recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def catalogue():  # type: ignore[no-untyped-def]
    from backend.accounts.models import Organisation, User
    from backend.catalog.models import Category, Product, Sku

    seller = Organisation.objects.create(name="压测合作社", kind="cooperative")
    user = User.objects.create(username="bench")
    category = Category.objects.create(name="杂粮")
    ids = []
    for n in range(PRODUCTS):
        product = Product.objects.create(
            seller=seller, title=f"沁水小米 {n}", category=category, status="on_sale"
        )
        Sku.objects.bulk_create(
            Sku(product=product, seller=seller, spec_text=f"{250 * (k + 1)}g", stock=100,
                price=Decimal("19.90") + k, weight_grams=500, outer_id=f"B{n}-{k}")
            for k in range(SKUS)
        )  # fmt: skip
        ids.append(product.pk)
    return seller, user, category, ids


def bind(platform: str, box, seller, user, category):  # type: ignore[no-untyped-def]
    from backend.stores.models import PlatformApp
    from backend.stores.services import store_bind_finish, store_bind_start
    from backend.stores.services_mapping import category_mapping_set, store_freight_template_set

    box.control("reset")
    box.control("apps", {"app_key": "bench", "app_secret": "bench-secret"})
    box.control("shops", {"shop_id": "bench-shop", "name": "压测店"})
    app = PlatformApp.objects.create(platform=platform, name=platform, app_key="bench",
                                     app_secret="bench-secret", endpoint_base=box.base,
                                     calls_per_second=LIMIT)  # fmt: skip
    url = urlsplit(store_bind_start(app=app, organisation_id=seller.pk, by=user))
    params = dict(parse_qsl(url.query))
    answer = requests.post(f"{box.base}{url.path}", data={**params, "shop_id": "bench-shop"},
                           allow_redirects=False, timeout=10)  # fmt: skip
    back = dict(parse_qsl(urlsplit(answer.headers["Location"]).query))
    store = store_bind_finish(code=back["code"], state=back["state"], by=user)
    store_freight_template_set(store=store, template_id="321")
    parent, leaf = LEAVES[platform]
    specs = {f"{250 * (k + 1)}g": str(3000 + k) for k in range(SKUS)}
    category_mapping_set(store=store, category=category, remote_parent_id=parent,
                         remote_category_id=leaf, attributes={}, spec_values=specs)  # fmt: skip
    box.control("limits", {"default": LIMIT})
    return store


def timed_job(store, ids, box):  # type: ignore[no-untyped-def]
    from backend.stores.models import SyncJob
    from backend.stores.services_sync import sync_job_start

    before = dict(box.state()["calls"])
    started = time.perf_counter()
    job = sync_job_start(store=store, kind="publish", product_ids=ids)  # runs eagerly
    wall = time.perf_counter() - started
    job = SyncJob.objects.get(pk=job.pk)
    assert (job.status, job.done, job.failed) == ("done", PRODUCTS, 0), job.__dict__
    calls = {m: n - before.get(m, 0) for m, n in box.state()["calls"].items()}
    calls = {m: n for m, n in calls.items() if n}
    return wall, calls


def main() -> None:
    recreate_database()
    boxes = {
        p: start_sandbox(p)
        for p in os.environ.get("BENCH_PLATFORMS", "taobao,pinduoduo,jd").split(",")
    }
    try:
        import django

        django.setup()
        from worker.celery import app

        # A worker imports every app's tasks and finalizes its Celery app when it starts;
        # the job runs eagerly in this process, so do the same before timing (the first
        # publish otherwise paid ~0.3 s importing the tasks and building the task registry).
        app.loader.import_default_modules()
        app.finalize()
        seller, user, category, ids = catalogue()
        rows = []
        for platform, box in boxes.items():
            store = bind(platform, box, seller, user, category)
            wall, calls = timed_job(store, ids, box)
            floor = (max(calls.values()) - 1) / LIMIT
            again, again_calls = timed_job(store, ids, box)
            writes = sum(n for m, n in again_calls.items() if any(k in m for k in WRITE_MARKS))
            limited = box.state()["limited"]
            rows.append((platform, wall, floor, max(calls, key=calls.get), again, writes, limited))
        print(
            f"Publish {PRODUCTS * SKUS} SKUs ({PRODUCTS} products x {SKUS}) per platform at "
            f"{LIMIT} calls/s per method, through the stores app (job, hashes, PostgreSQL):"
        )
        for platform, wall, floor, busiest, again, writes, limited in rows:
            print(
                f"  {platform:10s} publish {wall:6.2f} s  floor {floor:5.2f} s ({busiest})  "
                f"ratio {wall / floor:4.2f}x  | unchanged re-sync {again:5.2f} s, "
                f"write calls {writes}  | refused by the sandbox's limit: {limited or 0}"
            )
    finally:
        for box in boxes.values():
            stop_sandbox(box)
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
