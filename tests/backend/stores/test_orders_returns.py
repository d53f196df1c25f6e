"""After-sales with goods returned put stock back once; imported refunds show on the order;
a page of imported orders costs a fixed number of statements, whatever its size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.catalog.models import StockEntry
from backend.common.models import OutboxEvent
from backend.orders.models import Order, Refund
from backend.orders.selectors import order_detail
from backend.stores.models import Store, StoreAfterSale, StoreOrder
from backend.stores.services_orders_upsert import orders_upsert_batch
from shop_connectors.models import Order as RemoteOrder
from shop_connectors.models import OrderLine, OrderStatus, Receiver
from tests.factories.catalog import SkuFactory
from tests.shop_connectors.conftest import Sandbox

from .test_orders_import import _quick, events, import_at, past, seed  # noqa: F401 (_quick: autouse)

pytestmark = pytest.mark.django_db


def _stock_events(sku_id: int) -> list[dict]:
    return [e for e in events("sku.stock_changed") if e["sku_id"] == sku_id]


# JD's refund applications (the after-sales listing we read) are refunds of money only:
# its returns live in another service the connector does not read (decision 0106).
@pytest.mark.parametrize("platform", ["taobao", "pinduoduo"])
def test_a_return_of_a_shipped_order_restocks_once(
    store: Store, sandbox: Sandbox, seed_sku, platform: str
) -> None:
    at = int(past(1).timestamp())
    (remote_id,) = seed(sandbox, [at], status="shipped", price_fen=5000)
    import_at(store, past(2), past(0.5))
    order = StoreOrder.objects.get(remote_id=remote_id).order
    seed_sku.refresh_from_db()
    assert (order.status, seed_sku.stock) == ("shipped", 100_000 - 1)
    before_events = len(_stock_events(seed_sku.pk))

    back = int(past(0.8).timestamp())
    opened = {"order_id": remote_id, "amount_fen": 5000, "with_return": True, "at": back}
    refund_id = sandbox.control("after_sales/open", opened)["refund_id"]
    sandbox.control("after_sales/settle", {"refund_id": refund_id, "outcome": "success",
                                           "at": back + 5})  # fmt: skip
    import_at(store, past(2), past(0.5))
    import_at(store, past(2), past(0.5))  # the after-sale seen again: nothing twice
    seed_sku.refresh_from_db()
    assert seed_sku.stock == 100_000
    returned = StockEntry.objects.filter(sku=seed_sku, note="returned")
    assert [(e.delta, e.stock_after, e.ref) for e in returned] == [(1, 100_000, order.number)]
    assert len(_stock_events(seed_sku.pk)) == before_events + 1
    row = StoreAfterSale.objects.get(remote_id=str(refund_id))
    assert row.restocked_at is not None and row.with_return is True
    shown = order_detail(order_id=order.pk)
    assert (shown.status, shown.refund_state, shown.refunded_amount) == (
        "refunded",
        "full",
        Decimal("50.00"),
    )
    assert [(r.provider, r.amount, r.status) for r in shown.refunds] == [
        ("platform", Decimal("50.00"), "succeeded")
    ]


def test_a_refund_without_return_or_before_shipping_restocks_nothing_more(
    store: Store, sandbox: Sandbox, seed_sku
) -> None:
    at = int(past(1).timestamp())
    shipped, paid = seed(sandbox, [at], status="shipped") + seed(sandbox, [at + 1])
    import_at(store, past(2), past(0.5))
    back = int(past(0.8).timestamp())
    for n, (remote_id, with_return) in enumerate([(shipped, False), (paid, True)]):
        refund_id = sandbox.control("after_sales/open", {
            "order_id": remote_id, "amount_fen": 1990, "with_return": with_return, "at": back + n,
        })["refund_id"]  # fmt: skip
        sandbox.control("after_sales/settle", {"refund_id": refund_id, "outcome": "success",
                                               "at": back + 5 + n})  # fmt: skip
    import_at(store, past(2), past(0.5))
    seed_sku.refresh_from_db()
    # The paid order refunded whole before leaving gives its unit back (the order rule);
    # the shipped one refunded without a return keeps it out.
    assert seed_sku.stock == 100_000 - 1
    assert not StockEntry.objects.filter(note="returned").exists()
    assert list(Order.objects.order_by("id").values_list("status", flat=True)) == [
        "refunded",
        "refunded",
    ]


def _remote(n: int, at: datetime) -> RemoteOrder:
    return RemoteOrder(
        remote_id=f"R{n}", status=OrderStatus.AWAITING_SHIPMENT, remote_status="WAIT_SELLER",
        total=Decimal("39.80"), created_at=at, modified_at=at,
        lines=(OrderLine("I1", "S1", "SEED-1", "沁水小米", Decimal("19.90"), 2),),
        receiver=Receiver("张*", "138****5678", "山西省", "晋城市", "沁水县", "端氏镇**"),
    )  # fmt: skip


@pytest.mark.parametrize("platform", ["taobao"])
def test_a_page_costs_the_same_statements_whatever_its_size(
    store: Store, seed_sku, platform: str
) -> None:
    SkuFactory(product=seed_sku.product, outer_id="OTHER")  # another SKU of the seller
    at = datetime.now(UTC) - timedelta(hours=1)
    counts = []
    for size, first in ((5, 0), (50, 100)):
        remotes = [_remote(first + n, at) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            outcomes = orders_upsert_batch(store=store, client=None, remotes=remotes)  # type: ignore[arg-type]
        assert outcomes == ["created"] * size
        counts.append(len(queries))
    # SAVEPOINT + RELEASE, the StoreOrders and SKU ids read, checkouts, orders (ON
    # CONFLICT), their ids, the SKUs' snapshots, one stock statement (one SKU), ledger,
    # lines, timeline, StoreOrders, outbox events with their deliveries (one statement;
    # refunds: none to insert, no statement).
    assert counts == [14, 14]
    assert Order.objects.filter(source_kind="store").count() == 55
    assert len(events("order.paid")) == 55
    seed_sku.refresh_from_db()
    assert seed_sku.stock == 100_000 - 110
    again = orders_upsert_batch(
        store=store, client=None, remotes=[_remote(n, at) for n in range(5)]
    )  # type: ignore[arg-type]
    assert again == ["unchanged"] * 5
    assert Order.objects.count() == 55 and Refund.objects.count() == 0
    assert OutboxEvent.objects.filter(name="order.created").count() == 55


def test_the_order_holds_its_marketplace_key_uniquely(store: Store, seed_sku) -> None:
    from django.db import IntegrityError, transaction

    at = datetime.now(UTC) - timedelta(hours=1)
    orders_upsert_batch(store=store, client=None, remotes=[_remote(1, at)])  # type: ignore[arg-type]
    order = Order.objects.get()
    assert (order.external_store_id, order.external_id) == (store.pk, "R1")
    twin = Order.objects.get()
    twin.pk, twin.number = None, "QSTWIN"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
