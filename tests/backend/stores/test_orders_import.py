"""Marketplace orders and after-sales imported from the sandboxes (real processes over HTTP):
windows and their edges, re-import, status mapping with jumps, amounts to the fen,
after-sales, events, push-back with retry, and owner checks."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from backend.common.events import handlers_concerned
from backend.common.models import OutboxEvent
from backend.orders.models import Order
from backend.orders.services import order_pack, order_ship
from backend.stores.connectors import store_connector
from backend.stores.models import Store, StoreAfterSale, StoreOrder
from backend.stores.services_orders import shipment_push, shipment_push_queue, store_orders_import
from shop_connectors.models import Shipment
from shop_connectors.windows import slice_windows
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.shop_connectors.conftest import Sandbox

from .conftest import APP_KEY

pytestmark = pytest.mark.django_db
SHOP = "shop-a"
COURIER = {"taobao": "ZTO", "pinduoduo": "115", "jd": "1499"}  # the platform's ZTO code
UNKNOWN = {
    "taobao": {"status": "PAID_FORBID_CONSIGN"},
    "pinduoduo": {"order_status": 9},
    "jd": {"orderState": "WAIT_SELLER_DELIVERY_NEW"},  # a state this client does not know
}


@pytest.fixture(autouse=True)
def _quick(settings) -> None:
    settings.STORES_RETRY_BACKOFF_SECONDS = 0.01
    settings.STORES_RETRY_ATTEMPTS = 2
    settings.STORES_HTTP_TIMEOUT = (1.0, 1.0)


def seed(box: Sandbox, moments: list[int], **spec) -> list[str]:
    orders = [{"modified": m, **spec} for m in moments]
    return box.control("orders/seed", {"shop_id": SHOP, "orders": orders})["order_ids"]


def events(name: str) -> list[dict]:
    return [e.payload for e in OutboxEvent.objects.filter(name=name).order_by("id")]


def import_at(store: Store, cursor: datetime, end: datetime):
    Store.objects.filter(pk=store.pk).update(orders_cursor=cursor, after_sales_cursor=cursor)
    return store_orders_import(store_id=store.pk, until=end)


def past(hours: float) -> datetime:
    """Whole seconds in the past, beyond PDD's 3-minute lag."""
    return datetime.fromtimestamp(int(time.time() - hours * 3600), UTC)


def test_windows_and_their_edges_none_missed_none_doubled_and_reimport(
    store: Store, sandbox: Sandbox, seed_sku
) -> None:
    client = store_connector(store=store)
    window = client.max_window  # type: ignore[attr-defined]
    start = past(50 if window >= timedelta(days=1) else 2.5)
    end = start + window * 2 + timedelta(minutes=7)
    edges = set()
    for lower, upper in slice_windows(
        start=start, end=end, max_window=window, overlap=timedelta(seconds=1)
    ):
        edges |= {int(lower.timestamp()), int(upper.timestamp()), int(upper.timestamp()) - 1}
    inside = {int(start.timestamp()) + n * 97 for n in range(1, 40)}
    moments = sorted(m for m in edges | inside if m <= int(end.timestamp()))
    ids = seed(sandbox, moments)

    first = import_at(store, start + timedelta(seconds=1), end)
    assert first.error == ""
    assert first.windows >= 3
    assert sorted(StoreOrder.objects.values_list("remote_id", flat=True)) == sorted(ids)
    assert Order.objects.filter(source_kind="store").count() == len(ids)
    assert len(events("order.paid")) == len(ids)
    assert Store.objects.get(pk=store.pk).orders_cursor == end

    rows = OutboxEvent.objects.count()
    again = import_at(store, start + timedelta(seconds=1), end)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged >= len(ids)  # edge orders are read in two windows
    assert Order.objects.filter(source_kind="store").count() == len(ids)
    assert OutboxEvent.objects.count() == rows


def test_amounts_to_the_fen(store: Store, sandbox: Sandbox, seed_sku) -> None:
    at = int(past(1).timestamp())
    fens = [1, 1999, 123457, 100]
    for n, fen in enumerate(fens):
        seed(sandbox, [at + n], price_fen=fen)
    import_at(store, past(2), past(0.5))
    paid = sorted(Order.objects.values_list("paid_amount", flat=True))
    assert paid == sorted(Decimal(f) / 100 for f in fens)
    assert [p.as_tuple().exponent for p in paid] == [-2] * len(fens)
    line = Order.objects.get(paid_amount=Decimal("1234.57")).lines.get()
    assert (line.unit_price, line.quantity, line.outer_id) == (Decimal("1234.57"), 1, "SEED-1")


def test_status_mapping_jumps_and_events(store: Store, sandbox: Sandbox, seed_sku) -> None:
    at = int(past(1).timestamp())
    shipped_id, paid_id = seed(sandbox, [at], status="shipped") + seed(sandbox, [at + 1])
    import_at(store, past(2), past(0.5))
    jumped = StoreOrder.objects.get(remote_id=shipped_id).order
    assert jumped.status == "shipped"
    # Entered past paid: order.paid once, then order.shipped (the platform's, no waybill).
    assert [e["order_id"] for e in events("order.paid")].count(jumped.pk) == 1
    shipped = [e for e in events("order.shipped") if e["order_id"] == jumped.pk]
    assert len(shipped) == 1 and shipped[0]["origin"] == "platform"
    assert handlers_concerned("order.shipped", shipped[0]) == []  # never pushed back

    # Shipped on the platform itself (the merchant's console there), imported: paid -> shipped.
    store_connector(store=store).shipment_send(
        shipment=Shipment(order_id=paid_id, courier_code=COURIER[store.app.platform],
                          waybill_no="75312345678901")
    )  # fmt: skip
    sandbox.control("orders/touch", {"order_id": paid_id, "modified": at + 60})  # PDD's lag
    import_at(store, past(2), past(0.5))
    order = StoreOrder.objects.get(remote_id=paid_id).order
    assert (order.status, order.waybill_no, order.courier.code) == (
        "shipped",
        "75312345678901",
        "ZTO",
    )
    payload = next(e for e in events("order.shipped") if e["order_id"] == order.pk)
    assert (payload["waybill_no"], payload["courier_code"]) == (
        "75312345678901",
        COURIER[store.app.platform],
    )
    assert payload["origin"] == "platform" and not handlers_concerned("order.shipped", payload)
    assert [e["order_id"] for e in events("order.paid")].count(order.pk) == 1
    assert StoreOrder.objects.get(remote_id=paid_id).push_status == "none"


def test_unknown_remote_status_is_held_and_never_shippable(
    store: Store, sandbox: Sandbox, seed_sku, merchant
) -> None:
    (remote_id,) = seed(sandbox, [int(past(1).timestamp())])
    import_at(store, past(2), past(0.5))
    sandbox.control(
        "orders/override", {"order_id": remote_id, "fields": UNKNOWN[store.app.platform]}
    )
    fact = StoreOrder.objects.get(remote_id=remote_id)
    StoreOrder.objects.filter(pk=fact.pk).update(remote_status="old")  # it changed remotely
    import_at(store, past(2), past(0.5))
    order = Order.objects.get(pk=fact.order_id)
    assert order.status_unknown is True
    from backend.common.errors import Conflict

    with pytest.raises(Conflict):
        order_pack(order=order, by=merchant)


def test_after_sales_partial_refunds_each_once(store: Store, sandbox: Sandbox, seed_sku) -> None:
    (remote_id,) = seed(sandbox, [int(past(1).timestamp())], price_fen=10000)
    import_at(store, past(2), past(0.5))
    order_id = StoreOrder.objects.get(remote_id=remote_id).order_id
    back = int(past(0.8).timestamp())
    first = sandbox.control(
        "after_sales/open", {"order_id": remote_id, "amount_fen": 3050, "at": back}
    )["refund_id"]
    import_at(store, past(2), past(0.5))
    row = StoreAfterSale.objects.get(remote_id=str(first))
    assert (row.state, row.amount) == ("open", Decimal("30.50"))
    assert events("order.refunded") == []

    sandbox.control(
        "after_sales/settle", {"refund_id": first, "outcome": "success", "at": back + 5}
    )
    second = sandbox.control(
        "after_sales/open", {"order_id": remote_id, "amount_fen": 6950, "at": back + 6}
    )["refund_id"]
    sandbox.control(
        "after_sales/settle", {"refund_id": second, "outcome": "success", "at": back + 7}
    )
    import_at(store, past(2), past(0.5))
    import_at(store, past(2), past(0.5))  # again: nothing twice
    refunds = [e for e in events("order.refunded") if e["order_id"] == order_id]
    assert sorted(e["amount_refunded"] for e in refunds) == ["30.50", "69.50"]
    order = Order.objects.get(pk=order_id)
    assert (order.status, order.refunded_amount) == ("refunded", Decimal("100.00"))


def test_push_back_with_retry_and_its_rejection(
    store: Store, sandbox: Sandbox, seed_sku, merchant
) -> None:
    remote_ids = seed(sandbox, [int(past(1).timestamp()), int(past(1).timestamp()) + 1])
    import_at(store, past(2), past(0.5))
    first, second = (StoreOrder.objects.get(remote_id=r) for r in remote_ids)
    order = order_pack(order=first.order, by=merchant)
    order, _ = order_ship(order=order, by=merchant, courier_code="ZTO", waybill_no="75300000000011")
    payload = events("order.shipped")[-1]
    assert payload["origin"] == "merchant"
    assert handlers_concerned("order.shipped", payload) == [
        "backend.stores.handlers.store_order_shipped"
    ]
    assert shipment_push_queue(order_id=order.pk) == first.pk

    method = {"taobao": "taobao.logistics.offline.send", "pinduoduo": "pdd.logistics.online.send",
              "jd": "jingdong.pop.order.shipment"}[store.app.platform]  # fmt: skip
    sandbox.control("faults", {"rate": 1.0, "kinds": ["5xx"], "methods": [method]})
    delay = shipment_push(store_order_id=first.pk)
    assert delay is not None and delay > 0  # transient: retried later with backoff
    assert StoreOrder.objects.get(pk=first.pk).push_status == "pending"
    sandbox.control("faults", {"rate": 0.0})
    assert shipment_push(store_order_id=first.pk) is None
    first.refresh_from_db()
    assert (first.push_status, first.push_attempts) == ("sent", 2)
    shown = {o["id"]: o["shipment"] for o in sandbox.state()["orders"]}
    assert shown[first.remote_id][1] == "75300000000011"
    assert shipment_push(store_order_id=first.pk) is None  # settled: not sent again

    # The platform refuses: a courier it does not know (no code there) -> reason kept.
    order = order_pack(order=second.order, by=merchant)
    order_ship(order=order, by=merchant, courier_code="ZTO", waybill_no="75300000000012")
    shipment_push_queue(order_id=order.pk)
    sandbox.control("buyer/refund", {"order_id": second.remote_id})
    assert shipment_push(store_order_id=second.pk) is None
    second.refresh_from_db()
    assert second.push_status == "rejected" and second.push_error
    assert events("store.shipment_rejected")[-1]["order_id"] == second.order_id


def test_expired_token_stops_the_import_and_keeps_the_cursor(
    store: Store, sandbox: Sandbox, seed_sku
) -> None:
    seed(sandbox, [int(past(1).timestamp())])
    token = sandbox.control("tokens", {"app_key": APP_KEY, "shop_id": SHOP, "expires_in": -5})
    Store.objects.filter(pk=store.pk).update(access_token=token["access_token"])
    cursor = past(2)
    result = import_at(store, cursor, past(0.5))
    store.refresh_from_db()
    assert result.error and store.status == "reauthorise"
    assert store.orders_cursor == cursor
    assert StoreOrder.objects.count() == 0


def test_owner_sees_imported_orders_and_another_merchant_does_not(
    store: Store, sandbox: Sandbox, seed_sku, merchant_client, other_client
) -> None:
    seed(sandbox, [int(past(1).timestamp())])
    import_at(store, past(2), past(0.5))
    mine = merchant_client.get(f"/api/v1/stores/{store.pk}/orders")
    assert mine.status_code == 200, mine.content
    assert [row["remote_id"] for row in mine.json()] == list(
        StoreOrder.objects.values_list("remote_id", flat=True)
    )
    theirs = other_client.get(f"/api/v1/stores/{store.pk}/orders")
    assert theirs.status_code in (403, 404)
    assert theirs.json()["error"]["code"]
    order_id = StoreOrder.objects.get().order_id
    side = merchant_client.get(f"/api/v1/stores/orders/{order_id}")
    assert side.status_code == 200 and side.json()["platform"] == store.app.platform
    assert other_client.get(f"/api/v1/stores/orders/{order_id}").status_code == 404
    health = merchant_client.get(f"/api/v1/stores/{store.pk}").json()
    assert health["import_error"] == "" and health["import_window_end"]


def test_merchant_order_list_filters_by_platform_and_store(
    store: Store, sandbox: Sandbox, seed_sku, merchant_client
) -> None:
    (remote_id,) = seed(sandbox, [int(past(1).timestamp())])
    import_at(store, past(2), past(0.5))
    platform = store.app.platform
    rows = merchant_client.get("/api/v1/orders/seller", {"platform": platform}).json()["items"]
    assert [(r["platform"], r["remote_id"]) for r in rows] == [(platform, remote_id)]
    other = "jd" if platform != "jd" else "taobao"
    assert merchant_client.get("/api/v1/orders/seller", {"platform": other}).json()["items"] == []
    by_store = merchant_client.get("/api/v1/orders/seller", {"store_id": store.pk}).json()["items"]
    assert [r["remote_id"] for r in by_store] == [remote_id]
    assert (
        merchant_client.get("/api/v1/orders/seller", {"store_id": store.pk + 1}).json()["items"]
        == []
    )
    bad = merchant_client.get("/api/v1/orders/seller", {"platform": "ebay"})
    assert bad.status_code == 422 and bad.json()["error"]["code"]


def test_injected_faults_and_timeouts_nothing_missed_nothing_doubled(
    store: Store, sandbox: Sandbox, seed_sku, settings
) -> None:
    settings.STORES_HTTP_TIMEOUT = (1.0, 0.2)
    start = past(3)
    ids = seed(sandbox, [int(start.timestamp()) + 300 * n for n in range(1, 28)])
    sandbox.control(
        "faults", {"rate": 0.2, "kinds": ["5xx", "timeout"], "hang_seconds": 0.3, "seed": 15}
    )
    Store.objects.filter(pk=store.pk).update(orders_cursor=start, after_sales_cursor=start)
    for _run in range(12):  # each beat run goes on from the cursor
        result = store_orders_import(store_id=store.pk, until=past(0.5))
        if not result.error:
            break
    sandbox.control("faults", {"rate": 0.0})
    assert sandbox.state()["faults_injected"] > 0  # the faults did happen
    assert not result.error
    assert sorted(StoreOrder.objects.values_list("remote_id", flat=True)) == sorted(ids)
    assert len(events("order.paid")) == len(ids) == Order.objects.count()


def test_the_same_order_changing_three_times_between_imports(
    store: Store, sandbox: Sandbox, seed_sku
) -> None:
    at = int(past(1).timestamp())
    (remote_id,) = seed(sandbox, [at], status="unpaid")
    import_at(store, past(2), past(0.5))
    # Taobao shows it awaiting payment (entered as created); PDD and JD do not list it yet.
    first = StoreOrder.objects.filter(remote_id=remote_id).first()
    assert (first is not None) == (store.app.platform == "taobao")
    sandbox.control("buyer/pay", {"order_id": remote_id})
    store_connector(store=store).shipment_send(
        shipment=Shipment(order_id=remote_id, courier_code=COURIER[store.app.platform],
                          waybill_no="75300000000099")
    )  # fmt: skip
    sandbox.control("buyer/confirm", {"order_id": remote_id})
    sandbox.control("orders/touch", {"order_id": remote_id, "modified": at + 30})
    import_at(store, past(2), past(0.5))
    fact = StoreOrder.objects.get(remote_id=remote_id)
    assert first is None or first.order_id == fact.order_id
    final = Order.objects.get(pk=fact.order_id)
    assert (final.status, final.waybill_no) == ("completed", "75300000000099")
    assert final.paid_at is not None
    assert [e["order_id"] for e in events("order.paid")] == [final.pk]
    assert [e["order_id"] for e in events("order.completed")] == [final.pk]
    assert StoreOrder.objects.count() == Order.objects.count() == 1


def test_unmatched_lines_and_short_stock_are_flagged(
    store: Store, sandbox: Sandbox, seller
) -> None:
    product = ProductFactory(seller=seller, title="沁水小米", status="on_sale")
    sku = SkuFactory(product=product, outer_id="SEED-1", price=Decimal("19.90"), stock=0)
    at = int(past(1).timestamp())
    (short_id,) = seed(sandbox, [at])
    import_at(store, past(2), past(0.5))
    short = StoreOrder.objects.get(remote_id=short_id)
    assert short.order.stock_shortfall is True and short.unmatched == []
    assert short.order.lines.get().shortfall == 1
    sku.outer_id = "OTHER"
    sku.save()
    (lost_id,) = seed(sandbox, [at + 5])
    import_at(store, past(2), past(0.5))
    lost = StoreOrder.objects.get(remote_id=lost_id)
    assert [line["outer_id"] for line in lost.unmatched] == ["SEED-1"]
    assert lost.order.lines.count() == 0
    assert lost.order.paid_amount == lost.remote_total == Decimal("19.90")


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_store_at_once_enter_each_order_once(
    store: Store, sandbox: Sandbox, seed_sku
) -> None:
    import threading

    from django.db import connection

    start = past(2)
    ids = seed(sandbox, [int(start.timestamp()) + 60 * n for n in range(1, 40)])
    Store.objects.filter(pk=store.pk).update(orders_cursor=start, after_sales_cursor=start)
    until, results, barrier = past(0.5), [], threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(store_orders_import(store_id=store.pk, until=until))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.error for r in results] == ["", ""]
    assert sum(r.created for r in results) == len(ids)
    assert sorted(StoreOrder.objects.values_list("remote_id", flat=True)) == sorted(ids)
    assert Order.objects.count() == len(ids)
    assert len(events("order.paid")) == len(ids)
    seed_sku.refresh_from_db()
    assert seed_sku.stock == 100_000 - len(ids)  # each order took its stock once
