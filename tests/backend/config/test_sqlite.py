"""The embedded default (`make run`, SQLite) holds a crowd: 100 buyers at once for the last
10 units, through two real server processes sharing one SQLite file (as a multi-worker web
server does) -> exactly 10 orders and 90 sold-out answers, never "database is locked"."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from backend.config.env import parse_database_url
from tests import harness

BUYERS = 100
STOCK = 10


def test_sqlite_settings_use_wal_a_busy_timeout_and_immediate_writes(tmp_path: Path) -> None:
    entry = parse_database_url(f"sqlite:///{tmp_path}/db.sqlite3", base_dir=tmp_path)
    assert entry["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in entry["OPTIONS"]["init_command"]
    assert entry["OPTIONS"]["timeout"] >= 20
    default = parse_database_url(None, base_dir=tmp_path)
    assert default["OPTIONS"] == entry["OPTIONS"]


def test_imported_orders_take_what_there_is_on_sqlite(tmp_path: Path) -> None:
    """The store import's stock take has a PostgreSQL statement and a portable one; the
    embedded default must run the second (it once broke the demo stores of `make run`)."""
    env = harness.base_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", CELERY_BROKER_URL="",
                           REDIS_PREFIX=f"qssqlite{uuid.uuid4().hex[:8]}", DEBUG="1")  # fmt: skip
    run = {"cwd": harness.ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    seeded = subprocess.run(
        [harness.PYTHON, "-m", "tests.backend.config.sqlite_seed", "0", "5"], **run
    )
    sku_id = json.loads(seeded.stdout.strip().splitlines()[-1])["sku_id"]
    taken = subprocess.run(
        [harness.PYTHON, "-m", "tests.backend.config.sqlite_take", str(sku_id)], **run
    )
    result = json.loads(taken.stdout.strip().splitlines()[-1])
    assert result == {"short": [0, 2], "stock": 0, "ledger": [[-3, 2, "a"], [-2, 0, "b"]]}


def test_an_api_token_is_read_and_stamped_on_sqlite(tmp_path: Path) -> None:
    """The token's read and its last-used stamp are hand-written statements on PostgreSQL;
    on the embedded default the stamp must be written as the ORM writes datetimes."""
    env = harness.base_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", CELERY_BROKER_URL="",
                           REDIS_PREFIX=f"qssqlite{uuid.uuid4().hex[:8]}", DEBUG="1")  # fmt: skip
    run = {"cwd": harness.ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    used = subprocess.run([harness.PYTHON, "-m", "tests.backend.config.sqlite_token"], **run)
    result = json.loads(used.stdout.strip().splitlines()[-1])
    assert result["user"] == "sqlite-script"
    first, now = datetime.fromisoformat(result["first"]), datetime.fromisoformat(result["now"])
    assert first.utcoffset() is not None and timedelta(0) <= now - first < timedelta(seconds=30)
    assert result["again_after_stale"] is True
    # Stored as the ORM stores every datetime here (naive UTC text), so comparisons hold.
    assert len(result["stored"]) == len(result["created"]) and "+" not in result["stored"]


@pytest.mark.processes
def test_a_hundred_checkouts_on_ten_units(tmp_path: Path, payment_sandbox: str) -> None:
    db = tmp_path / "db.sqlite3"
    env = harness.base_env(
        DATABASE_URL=f"sqlite:///{db}",
        CELERY_BROKER_URL="",  # no broker: events are delivered inline, in the request
        PAYMENT_SANDBOX_URL=payment_sandbox,
        REDIS_PREFIX=f"qssqlite{uuid.uuid4().hex[:8]}",
        DEBUG="1",
    )
    run = {"cwd": harness.ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    seeded = subprocess.run(
        [harness.PYTHON, "-m", "tests.backend.config.sqlite_seed", str(BUYERS), str(STOCK)], **run
    )
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    servers = [harness.start_daphne(env) for _ in range(2)]
    try:
        answers = _buy_all_at_once([url for _proc, url in servers], world)
    finally:
        for proc, _url in servers:
            proc.stop()
    logs = "\n".join(proc.log() for proc, _url in servers)
    assert Counter(status for status, _code in answers) == {201: STOCK, 409: BUYERS - STOCK}, logs
    assert Counter(code for status, code in answers if status == 409) == {
        "stock.insufficient": BUYERS - STOCK
    }
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT count(*) FROM orders_order").fetchone() == (STOCK,)
        assert conn.execute("SELECT stock FROM catalog_sku").fetchone() == (0,)


def _buy_all_at_once(urls: list[str], world: dict) -> list[tuple[int, str]]:
    barrier = threading.Barrier(BUYERS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def buy(n: int, token: str) -> None:
        body = {
            "idempotency_key": f"sqlite-race-{n:04d}",
            "items": [{"sku_id": world["sku_id"], "quantity": 1}],
            "consignee": {"name": "买家", "phone": "13900000000", "address": "沁水县龙港镇"},
        }
        barrier.wait()
        try:
            response = requests.post(
                f"{urls[n % len(urls)]}/api/v1/orders/checkouts",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
            code = response.json().get("error", {}).get("code", "") if response.content else ""
            answer = (response.status_code, code)
        except requests.RequestException as exc:
            answer = (0, type(exc).__name__)
        with lock:
            answers.append(answer)

    threads = [
        threading.Thread(target=buy, args=(n, token)) for n, token in enumerate(world["tokens"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return answers
