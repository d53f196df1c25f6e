"""Sync jobs in a real Celery worker: progress over the websocket, and a worker killed in
the middle of a job whose restart finishes it with every item sent once."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from backend.stores.models import SyncJob
from backend.stores.services_sync import sync_jobs_resume
from tests import harness
from tests.backend.stores.conftest import bind, map_store
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]
QUEUE = f"sync-stores-test-{os.getpid()}"


def _worker(env: dict[str, str]) -> harness.Process:
    cmd = [str(harness.BIN / "celery"), "-A", "worker", "worker", "-Q", QUEUE, "-P", "threads",
           "-c", "2", "--without-gossip", "--without-mingle", "--without-heartbeat",
           "-n", f"stores-{os.getpid()}@%h", "-l", "INFO"]  # fmt: skip
    process = harness.Process("stores-worker", cmd, env)
    return process.start(lambda: "ready" in process.log(), timeout=60)


@pytest.fixture
def sync_worker(process_env: dict[str, str], settings) -> Iterator[harness.Process]:
    """A worker of its own on a queue of its own, with a one-second item lease."""
    settings.STORES_SYNC_QUEUE, settings.STORES_ITEM_LEASE_SECONDS = QUEUE, 1.0
    env = {**process_env, "STORES_SYNC_QUEUE": QUEUE, "STORES_ITEM_LEASE_SECONDS": "1"}
    process = _worker(env)
    try:
        yield process
    finally:
        process.stop()


def _products(seller, category, n: int) -> list[int]:
    ids = []
    for k in range(n):
        product = ProductFactory(seller=seller, category=category, status="on_sale",
                                 title=f"沁水小米 {k}")  # fmt: skip
        SkuFactory(product=product, spec_text="500g", outer_id=f"W-{k}")
        ids.append(product.pk)
    return ids


def _wait_done(job_id: int, timeout: float = 60) -> SyncJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = SyncJob.objects.get(pk=job_id)
        if job.status == "done":
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not done: {SyncJob.objects.get(pk=job_id).__dict__}")


async def _watch(application, session_id: str, start) -> tuple[int, list[dict]]:
    """Connect as the merchant, start the job, collect `stores.job` frames until done
    (one event loop throughout: the consumer lives as long as the connection)."""
    socket = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={session_id}".encode())],
    )
    assert (await socket.connect())[0]
    job_id = await sync_to_async(start)()
    frames: list[dict] = []
    while not frames or frames[-1]["payload"]["status"] != "done":
        frame = await socket.receive_json_from(timeout=20)
        if frame["type"] == "stores.job":
            frames.append(frame)
    await socket.disconnect()
    return job_id, frames


def _session(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("platform", ["pinduoduo"])
def test_progress_reaches_the_merchant_over_the_websocket(
    sync_worker, merchant, merchant_client, sandbox, app, millet
):
    from backend.config.asgi import application

    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    ids = [millet.pk, *_products(millet.seller, millet.category, 2)]
    start = lambda: merchant_client.post(  # noqa: E731
        f"/api/v1/stores/{store.pk}/jobs", {"product_ids": ids}, "application/json"
    ).json()["id"]
    job_id, frames = async_to_sync(_watch)(application, _session(merchant), start)
    items = [i for f in frames for i in f["payload"]["items"]]
    assert sorted(i["product_id"] for i in items) == sorted(ids)
    assert all(i["ok"] for i in items)
    final = {k: v for k, v in frames[-1]["payload"].items() if k != "items"}
    assert final == {
        "job_id": job_id, "store_id": store.pk, "kind": "publish", "status": "done",
        "total": 3, "done": 3, "failed": 0,
    }  # fmt: skip


@pytest.mark.parametrize("platform", ["taobao"])
def test_a_worker_killed_mid_sync_restarts_and_sends_each_item_once(
    sync_worker, merchant_client, sandbox, app, millet
):
    store = bind(merchant_client, sandbox, app)
    map_store(merchant_client, store, millet.category_id)
    ids = _products(millet.seller, millet.category, 12)
    # Each add is executed at once and answered 0.3 s later: the kill lands while an item
    # is on the platform but not yet recorded as ours, so the restart must read it back.
    sandbox.control("faults", {"rate": 1.0, "kinds": ["latency"], "latency_ms": 300,
                               "methods": ["taobao.item.add"], "phase": "after"})  # fmt: skip
    answer = merchant_client.post(
        f"/api/v1/stores/{store.pk}/jobs", {"product_ids": ids}, "application/json"
    )
    job_id = answer.json()["id"]
    deadline = time.monotonic() + 30
    while len(sandbox.state()["items"]) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    sync_worker.kill()
    killed_at = len(sandbox.state()["items"])
    assert 4 <= killed_at < 12
    sync_worker.start(sync_worker.ready, timeout=60)
    time.sleep(1.5)  # the dead worker's lease runs out
    assert sync_jobs_resume() == 1
    job = _wait_done(job_id)
    assert (job.done, job.failed) == (12, 0)
    state = sandbox.state()
    assert sorted(i["outer_id"] for i in state["items"]) == sorted(f"QS-P{pk}" for pk in ids)
    assert state["calls"]["taobao.item.add"] == 12  # each item sent once
