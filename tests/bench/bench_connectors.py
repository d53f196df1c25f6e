"""Connector benchmark (`make bench`), standalone: starts the three sandboxes itself.

1. Publish, then re-price, 1,000 SKUs per platform (100 items x 10 SKUs) with the sandbox limit
   at 50 calls/s per method and our limiter at the same rate: wall time beside the floor the
   limit implies (per phase, the busiest method's calls / 50; the call counts already reflect
   each platform's batching: PDD re-prices a whole goods per call, TOP and JD one SKU per call).
2. List 20,000 orders per platform with the limit lifted: orders per second parsed by the
   client (window slicing, backwards paging, dedupe, dataclasses) beside a bare `requests`
   loop replaying exactly the same signed page requests and only decoding the JSON.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shop_connectors.ratelimit import MemoryRateLimiter, Rate, RateTable  # noqa: E402
from shop_connectors.transport import Transport  # noqa: E402
from tests.shop_connectors.conftest import (  # noqa: E402
    SHOP,
    make_client,
    prepare,
    start_sandbox,
    stop_sandbox,
)
from tests.shop_connectors.factories import make_item  # noqa: E402

LIMIT = 50
ITEMS, SKUS_PER_ITEM = 100, 10
ORDERS = 20_000


class RecordingSession(requests.Session):
    """Keeps every order-page request so the bare loop can replay the very same pages."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[tuple[str, dict[str, str]]] = []

    def request(self, method, url, **kwargs):  # type: ignore[no-untyped-def,override]
        data = dict(kwargs.get("data") or {})
        text = str(data)
        if any(k in text for k in ("start_modified", "start_updated_at", "start_date")):
            self.pages.append((url, data))
        return super().request(method, url, **kwargs)


def publish_and_reprice(platform: str, sandbox) -> dict[str, float]:  # type: ignore[no-untyped-def]
    token = prepare(sandbox)
    sandbox.control("limits", {"default": LIMIT})
    limiter = MemoryRateLimiter(RateTable(default=Rate(per_second=LIMIT)))
    client = make_client(platform, sandbox.base, token, Transport(limiter=limiter))
    started = time.perf_counter()
    items = [
        client.item_publish(item=make_item(platform, f"QS-{n:03d}", skus=SKUS_PER_ITEM))
        for n in range(ITEMS)
    ]
    published = time.perf_counter()
    after_publish = dict(sandbox.state()["calls"])
    for item in items:
        client.sku_prices_set(
            item=item, prices={s.outer_id: s.price + Decimal("1.00") for s in item.skus}
        )
    done = time.perf_counter()
    state = sandbox.state()
    calls = sum(state["calls"].values())
    repriced = {m: n - after_publish.get(m, 0) for m, n in state["calls"].items()}
    # The sandbox limits each method separately, so a phase cannot beat its busiest method.
    floor = (max(after_publish.values()) + max(repriced.values())) / LIMIT
    skus = sum(len(i["skus"]) for i in state["items"])
    assert skus == ITEMS * SKUS_PER_ITEM, skus
    return {
        "calls": calls,
        "limited": sum(state["limited"].values()),
        "publish_s": published - started,
        "reprice_s": done - published,
        "wall_s": done - started,
        "floor_s": floor,
    }


def list_orders(platform: str, sandbox) -> dict[str, float]:  # type: ignore[no-untyped-def]
    token = prepare(sandbox)
    sandbox.control("limits", {"default": None})
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    start = end - timedelta(hours=10)
    step = (end - start).total_seconds() / ORDERS
    first = int(start.timestamp()) + 1
    specs = [{"modified": first + int(n * step)} for n in range(ORDERS)]
    sandbox.control("orders/seed", {"shop_id": SHOP, "orders": specs})
    session = RecordingSession()
    client = make_client(platform, sandbox.base, token, Transport(session=session))
    began = time.perf_counter()
    count = sum(1 for _ in client.orders_changed(start=start, end=end))
    client_s = time.perf_counter() - began
    assert count == ORDERS, count
    bare = requests.Session()
    began = time.perf_counter()
    raw = 0
    for url, data in session.pages:
        body = bare.post(url, data=data, timeout=30).json()
        raw += len(str(body)) > 0
    bare_s = time.perf_counter() - began
    return {
        "orders": count,
        "pages": len(session.pages),
        "client_s": client_s,
        "client_ops": count / client_s,
        "bare_s": bare_s,
        "bare_ops": count / bare_s,
    }


def main() -> None:
    sandboxes = {p: start_sandbox(p) for p in ("taobao", "pinduoduo", "jd")}
    try:
        print(
            f"publish + re-price {ITEMS * SKUS_PER_ITEM} SKUs, sandbox limit {LIMIT}/s per method"
        )
        print(f"{'platform':<10} {'calls':>6} {'limited':>7} {'publish':>8} {'reprice':>8} "
              f"{'wall':>8} {'floor':>8} {'wall/floor':>10}")  # fmt: skip
        for platform, sandbox in sandboxes.items():
            r = publish_and_reprice(platform, sandbox)
            print(f"{platform:<10} {r['calls']:>6.0f} {r['limited']:>7.0f} "
                  f"{r['publish_s']:>7.1f}s {r['reprice_s']:>7.1f}s {r['wall_s']:>7.1f}s "
                  f"{r['floor_s']:>7.1f}s {r['wall_s'] / r['floor_s']:>10.2f}")  # fmt: skip
        print(f"\nlist {ORDERS} orders, limit lifted (client vs bare requests on the same pages)")
        print(f"{'platform':<10} {'pages':>6} {'client':>8} {'orders/s':>9} {'bare':>8} "
              f"{'orders/s':>9} {'client/bare':>11}")  # fmt: skip
        for platform, sandbox in sandboxes.items():
            r = list_orders(platform, sandbox)
            print(f"{platform:<10} {r['pages']:>6.0f} {r['client_s']:>7.1f}s "
                  f"{r['client_ops']:>9.0f} {r['bare_s']:>7.1f}s {r['bare_ops']:>9.0f} "
                  f"{r['client_s'] / r['bare_s']:>11.2f}")  # fmt: skip
    finally:
        for sandbox in sandboxes.values():
            stop_sandbox(sandbox)


if __name__ == "__main__":
    main()
