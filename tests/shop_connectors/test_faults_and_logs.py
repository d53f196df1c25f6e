"""Injected faults are retried without duplicates; logs never carry secrets, tokens, phones."""

from __future__ import annotations

import logging

import pytest

from shop_connectors.errors import RemoteUnavailable
from shop_connectors.models import Shipment
from shop_connectors.transport import RetryPolicy, Transport
from tests.shop_connectors.conftest import APP_SECRET, SHOP, make_client, prepare
from tests.shop_connectors.factories import make_item

ADD = {"taobao": "taobao.item.add", "pinduoduo": "pdd.goods.add", "jd": "jingdong.ware.write.add"}
LIST = {
    "taobao": "taobao.items.onsale.get",
    "pinduoduo": "pdd.goods.list.get",
    "jd": "jingdong.ware.read.searchWare4Valid",
}


def _quick_timeout_client(sandbox, platform, attempts=4):
    retry = RetryPolicy(max_attempts=attempts, backoff_base=0.01, backoff_cap=0.05)
    transport = Transport(timeout=(2.0, 0.5), retry=retry)
    return make_client(platform, sandbox.base, prepare(sandbox), transport)


@pytest.mark.parametrize("kind", ["timeout", "5xx", "malformed"])
def test_write_lost_after_execution_is_looked_up_not_duplicated(sandbox, platform, kind):
    client = _quick_timeout_client(sandbox, platform)
    sandbox.control(
        "faults",
        {"rate": 1.0, "kinds": [kind], "phase": "after", "methods": [ADD[platform]],
         "hang_seconds": 0.8, "remaining": 1},
    )  # fmt: skip

    item = client.item_publish(item=make_item(platform))

    state = sandbox.state()
    assert len(state["items"]) == 1
    assert item.remote_id == str(state["items"][0]["id"])
    assert state["calls"][ADD[platform]] == 1
    assert state["faults_injected"] == 1


def test_write_failed_before_execution_is_retried_once(sandbox, platform):
    client = _quick_timeout_client(sandbox, platform)
    sandbox.control(
        "faults",
        {"rate": 1.0, "kinds": ["5xx"], "phase": "before", "methods": [ADD[platform]],
         "remaining": 1},
    )  # fmt: skip

    item = client.item_publish(item=make_item(platform))

    state = sandbox.state()
    assert len(state["items"]) == 1 and item.remote_id == str(state["items"][0]["id"])
    assert state["calls"][ADD[platform]] == 2


def test_reads_survive_random_faults(sandbox, platform):
    client = _quick_timeout_client(sandbox, platform, attempts=8)
    client.item_publish(item=make_item(platform))
    sandbox.control(
        "faults",
        {"rate": 0.3, "kinds": ["5xx", "malformed", "latency", "timeout"], "phase": "before",
         "methods": [LIST[platform]], "seed": 7, "hang_seconds": 0.8, "latency_ms": 50},
    )  # fmt: skip

    listings = [len(list(client.items_iter())) for _ in range(6)]

    assert listings == [1] * 6
    assert sandbox.state()["faults_injected"] > 0


def test_persistent_faults_end_in_remote_unavailable_and_no_item(sandbox, platform):
    client = _quick_timeout_client(sandbox, platform)
    sandbox.control(
        "faults", {"rate": 1.0, "kinds": ["5xx"], "phase": "before", "methods": [ADD[platform]]}
    )

    with pytest.raises(RemoteUnavailable):
        client.item_publish(item=make_item(platform))

    assert sandbox.state()["items"] == []


def test_logs_hold_no_secret_token_or_phone(sandbox, platform, caplog):
    caplog.set_level(logging.DEBUG)
    token = prepare(sandbox)
    client = make_client(platform, sandbox.base, token)
    item = client.item_publish(item=make_item(platform))
    sku = sandbox.state()["items"][0]["skus"][0]["id"]
    order_id = sandbox.control(
        "buyer/place", {"shop_id": SHOP, "lines": [{"sku_id": sku, "quantity": 1}]}
    )["order_id"]
    sandbox.control("buyer/pay", {"order_id": order_id})
    order = client.order_get(order_id=order_id)
    client.shipment_send(shipment=Shipment(order_id, client.couriers_list()[0].code, "W9"))
    client.requestor.access_token = "expired-" + token
    with pytest.raises(Exception):
        client.item_update(item=item)

    records = caplog.records
    text = caplog.text + " ".join(str(r.__dict__) for r in records)
    assert records, "the transport logs every call"
    assert order.receiver is not None and order.receiver.phone == "138****5678"
    for forbidden in (APP_SECRET, token, "13812345678", "138****5678"):
        assert forbidden not in text
