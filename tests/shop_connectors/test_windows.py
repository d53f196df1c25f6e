"""Order windows: edges across many windows, backwards paging, the PDD lag."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests

from shop_connectors.windows import slice_windows
from tests.shop_connectors.conftest import SHOP, fast_transport, make_client, prepare


def _range(minutes_back: int, hours: float) -> tuple[datetime, datetime]:
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes_back)
    return end - timedelta(hours=hours), end


def test_slice_windows_overlap_and_bounds():
    start = datetime(2024, 1, 1, tzinfo=UTC)
    windows = list(
        slice_windows(
            start=start,
            end=start + timedelta(minutes=70),
            max_window=timedelta(minutes=30),
            overlap=timedelta(seconds=1),
        )
    )
    assert [(lo - start, hi - start) for lo, hi in windows] == [
        (timedelta(0), timedelta(minutes=30)),
        (timedelta(minutes=29, seconds=59), timedelta(minutes=59, seconds=59)),
        (timedelta(minutes=59, seconds=58), timedelta(minutes=70)),
    ]


def test_slice_windows_rejects_naive_times():
    with pytest.raises(ValueError):
        list(
            slice_windows(
                start=datetime(2024, 1, 1),
                end=datetime(2024, 1, 2),
                max_window=timedelta(hours=1),
                overlap=timedelta(0),
            )
        )


def test_orders_on_window_edges_none_missed_none_doubled(sandbox, platform):
    client = make_client(platform, sandbox.base, prepare(sandbox))
    client.max_window = timedelta(minutes=30)
    start, end = _range(minutes_back=10, hours=4)
    windows = list(
        slice_windows(start=start, end=end, max_window=client.max_window, overlap=client.overlap)
    )
    edges = sorted({int(t.timestamp()) for window in windows for t in window})
    seeded = sandbox.control(
        "orders/seed", {"shop_id": SHOP, "orders": [{"modified": t} for t in edges]}
    )["order_ids"]

    orders = list(client.orders_changed(start=start, end=end))

    assert len(windows) == 9
    assert len(edges) == 18
    assert sorted(o.remote_id for o in orders) == sorted(seeded)
    assert len(orders) == len(seeded)


class RecordingSession(requests.Session):
    """Notes the page number of every order-list call the client sends."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[int] = []

    def request(self, method, url, **kwargs):  # type: ignore[override]
        data = dict(kwargs.get("data") or {})
        data.update(json.loads(data.get("360buy_param_json", "{}")))
        if "start_modified" in data:
            self.pages.append(int(data["page_no"]))
        elif "start_updated_at" in data or "start_date" in data:
            self.pages.append(int(data["page"]))
        return super().request(method, url, **kwargs)


def test_pages_are_read_backwards(sandbox, platform):
    session = RecordingSession()
    client = make_client(platform, sandbox.base, prepare(sandbox), fast_transport(session=session))
    client.page_size = 5
    start, end = _range(minutes_back=10, hours=0.25)
    moments = [int(start.timestamp()) + 30 * n for n in range(23)]
    seeded = sandbox.control(
        "orders/seed", {"shop_id": SHOP, "orders": [{"modified": t} for t in moments]}
    )["order_ids"]

    orders = list(client.orders_changed(start=start, end=end))

    assert session.pages == [1, 5, 4, 3, 2, 1]
    assert sorted(o.remote_id for o in orders) == sorted(seeded)
    assert orders[0].modified_at < orders[-1].modified_at  # the oldest page comes first


def test_pdd_keeps_three_minutes_behind_server_time(sandboxes):
    sandbox = sandboxes["pinduoduo"]
    client = make_client("pinduoduo", sandbox.base, prepare(sandbox))
    now = datetime.now(UTC).replace(microsecond=0)
    recent = int((now - timedelta(seconds=60)).timestamp())
    older = int((now - timedelta(minutes=10)).timestamp())
    seeded = sandbox.control(
        "orders/seed", {"shop_id": SHOP, "orders": [{"modified": older}, {"modified": recent}]}
    )["order_ids"]

    orders = list(client.orders_changed(start=now - timedelta(minutes=20), end=now))

    assert [o.remote_id for o in orders] == [seeded[0]]


def test_pdd_rejects_windows_longer_than_thirty_minutes(sandboxes):
    sandbox = sandboxes["pinduoduo"]
    client = make_client("pinduoduo", sandbox.base, prepare(sandbox))
    with pytest.raises(ValueError):
        client.__class__(client.requestor, max_window=timedelta(minutes=31))
