"""Marketplace orders and after-sales, imported incrementally; shipments pushed back.

Import: from a cursor per store (minus a small overlap), in windows of the platform's
maximum, each window read whole (the connector pages it backwards) before the cursor moves
to its end. Orders are upserted by (store, remote order id) (`StoreOrder`, unique) into the
order flow as facts (`order_accept_fact`, `order_fact_move`); a re-import finds the same rows
and changes nothing. A refused token stops the run where it is: the cursor never passes what
was not read. After-sales are kept per (store, remote refund id); each one refunded publishes
`order.refunded` once (a conditional update on `refunded_at`).

Push-back: an `order.shipped` from our merchant's ship action for an imported order sends
the courier's platform code and the waybill; transient failures come back with a delay
(the task retries with backoff), a rejection keeps the platform's reason on the order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.catalog.models import Sku
from backend.common.events import publish, publishing_batch
from backend.orders.models import Courier, Order
from backend.orders.models import OrderStatus as S
from backend.orders.services_checkout import Consignee
from backend.orders.services_import import (
    FactLine,
    FactShipment,
    courier_for,
    order_accept_fact,
    order_fact_move,
    order_fact_refund,
)
from backend.stores.connectors import store_connector
from backend.stores.models import (
    AfterSaleState,
    Platform,
    PushStatus,
    Store,
    StoreAfterSale,
    StoreOrder,
    StoreStatus,
)
from shop_connectors.errors import AuthError, ConnectorError, RateLimited, RemoteUnavailable
from shop_connectors.interface import Connector
from shop_connectors.models import AfterSale, AfterSaleStatus, OrderStatus, Shipment
from shop_connectors.models import Order as RemoteOrder
from shop_connectors.windows import slice_windows

log = logging.getLogger("backend.stores.orders")
OVERLAP = timedelta(seconds=1)
# Remote status -> ours; None: no move of its own (refunds go through after-sales).
STATUS_MAP: dict[OrderStatus, str | None] = {
    OrderStatus.AWAITING_PAYMENT: S.CREATED,
    OrderStatus.AWAITING_SHIPMENT: S.PAID,
    OrderStatus.SHIPPED: S.SHIPPED,
    OrderStatus.COMPLETED: S.COMPLETED,
    OrderStatus.CANCELLED: S.CANCELLED,
    OrderStatus.REFUNDING: None,
    OrderStatus.REFUNDED: S.REFUNDED,
    OrderStatus.UNKNOWN: None,
}
AFTER_SALE_MAP = {
    AfterSaleStatus.OPEN: AfterSaleState.OPEN,
    AfterSaleStatus.REFUNDED: AfterSaleState.REFUNDED,
    AfterSaleStatus.CLOSED: AfterSaleState.CLOSED,
    AfterSaleStatus.UNKNOWN: AfterSaleState.UNKNOWN,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    after_sales: int = 0
    windows: int = 0
    error: str = ""


# Import ----------------------------------------------------------------------------------
def stores_orders_import() -> int:
    """Beat: every active store, one after the other; returns how many were imported."""
    done = 0
    for store_id in Store.objects.filter(status=StoreStatus.ACTIVE).values_list("pk", flat=True):
        store_orders_import(store_id=store_id)
        done += 1
    return done


def _range_end(client: Connector, now: datetime) -> datetime:
    """PDD answers only up to its server time minus its lag (0102): read no further."""
    server_time = getattr(client, "server_time", None)
    if server_time is None:
        return now
    lag: timedelta = getattr(client, "lag", timedelta(0))
    clock: datetime = server_time()
    return min(now, clock - lag)


def _window(client: Connector) -> timedelta:
    """What we read before moving the cursor: the client's window (decision 0102)."""
    window = getattr(client, "max_window", None)
    return window if isinstance(window, timedelta) else timedelta(minutes=30)


def _range_start(cursor: datetime | None, now: datetime) -> datetime:
    if cursor is None:
        return now - timedelta(seconds=settings.STORES_IMPORT_LOOKBACK_SECONDS)
    return cursor - OVERLAP


def store_orders_import(*, store_id: int, until: datetime | None = None) -> ImportResult:
    """Orders, then after-sales, of one store up to `until` (now)."""
    store = Store.objects.select_related("app").get(pk=store_id)
    result = ImportResult()
    if store.status != StoreStatus.ACTIVE:
        return result
    client = store_connector(store=store)
    started = timezone.now()
    try:
        end = _range_end(client, until or timezone.now())
        # After-sales first: each refund is published with its own amount before the order
        # that they refunded in full says "refunded" (which then adds nothing).
        _after_sales_read(store, client, end, result)
        _orders_read(store, client, end, result)
    except AuthError as error:
        from backend.stores.services import store_needs_reauthorisation

        store_needs_reauthorisation(store=store, platform_message=str(error))
        result.error = str(error)[:300]
    except ConnectorError as error:
        result.error = str(error)[:300]
        log.warning("store %s import stopped: %s", store.pk, error)
    Store.objects.filter(pk=store.pk).update(import_at=started, import_error=result.error)
    return result


def _orders_read(store: Store, client: Connector, end: datetime, result: ImportResult) -> None:
    start = _range_start(store.orders_cursor, end)
    if start >= end:
        return
    for lower, upper in slice_windows(
        start=start, end=end, max_window=_window(client), overlap=OVERLAP
    ):
        remotes = list(client.orders_changed(start=lower, end=upper))
        for outcome in orders_upsert_batch(store=store, client=client, remotes=remotes):
            setattr(result, outcome, getattr(result, outcome) + 1)
        # The whole window was read: only now may the cursor pass it.
        Store.objects.filter(pk=store.pk).update(
            orders_cursor=upper, import_window_start=lower, import_window_end=upper
        )
        result.windows += 1


def _after_sales_read(store: Store, client: Connector, end: datetime, result: ImportResult) -> None:
    start = _range_start(store.after_sales_cursor, end)
    if start >= end:
        return
    for lower, upper in slice_windows(
        start=start, end=end, max_window=_window(client), overlap=OVERLAP
    ):
        for remote in client.after_sales_changed(start=lower, end=upper):
            after_sale_upsert(store=store, client=client, remote=remote)
            result.after_sales += 1
        Store.objects.filter(pk=store.pk).update(after_sales_cursor=upper)


def _status_of(remote: RemoteOrder) -> tuple[str | None, bool]:
    return STATUS_MAP[remote.status], remote.status is OrderStatus.UNKNOWN


def _shipment(store: Store, remote: RemoteOrder) -> FactShipment | None:
    if remote.shipment is None:
        return None
    courier = courier_for(platform=store.app.platform, code=remote.shipment.courier_code)
    code = remote.shipment.courier_code
    if courier is not None and store.app.platform == Platform.TAOBAO:
        code = courier.taobao_code or code  # Taobao lists the company's name, not its code
    return FactShipment(
        courier_code=code,
        waybill_no=remote.shipment.waybill_no,
        courier_id=courier.pk if courier else None,
    )


def orders_upsert_batch(
    *, store: Store, client: Connector, remotes: list[RemoteOrder], chunk: int = 500
) -> list[str]:
    """A window's orders in chunks: the known facts and the SKUs read once per chunk, each
    chunk one transaction whose events are written together. Each order keeps its own
    savepoint, so a concurrent import of the same order is absorbed, not doubled."""
    outcomes: list[str] = []
    for at in range(0, len(remotes), chunk):
        part = remotes[at : at + chunk]
        known = {
            f.remote_id: f
            for f in StoreOrder.objects.filter(
                store=store, remote_id__in=[r.remote_id for r in part]
            )
        }
        outer_ids = {line.outer_sku_id for r in part for line in r.lines}
        skus = dict(
            Sku.objects.filter(
                product__seller_id=store.organisation_id, outer_id__in=outer_ids
            ).values_list("outer_id", "pk")
        )
        with transaction.atomic(), publishing_batch():
            outcomes += [
                order_upsert(
                    store=store, client=client, remote=r, fact=known.get(r.remote_id), skus=skus
                )
                for r in part
            ]
    return outcomes


def order_upsert(
    *,
    store: Store,
    client: Connector,
    remote: RemoteOrder,
    fact: StoreOrder | None = None,
    skus: dict[str, int] | None = None,
) -> str:
    """One remote order into ours: 'created', 'updated' or 'unchanged'."""
    if fact is None:
        fact = StoreOrder.objects.filter(store=store, remote_id=remote.remote_id).first()
    if fact is None:
        try:
            _fact_create(store, client, remote, skus)
            return "created"
        except IntegrityError:  # another worker entered it first: update it instead
            fact = StoreOrder.objects.get(store=store, remote_id=remote.remote_id)
    if fact.remote_status == remote.remote_status and (
        fact.remote_modified_at >= remote.modified_at
    ):
        return "unchanged"
    mapped, unknown = _status_of(remote)
    with transaction.atomic():
        moved = order_fact_move(
            order_id=fact.order_id,
            to=mapped or Order.objects.values_list("status", flat=True).get(pk=fact.order_id),
            shipment=_shipment(store, remote),
            status_unknown=unknown,
            note=f"{store.app.platform}: {remote.remote_status}",
        )
        StoreOrder.objects.filter(pk=fact.pk).update(
            remote_status=remote.remote_status,
            remote_modified_at=max(fact.remote_modified_at, remote.modified_at),
            updated_at=timezone.now(),
        )
    return "updated" if moved else "unchanged"


def _fact_create(
    store: Store, client: Connector, remote: RemoteOrder, skus: dict[str, int] | None
) -> StoreOrder:
    if remote.receiver is None:  # Taobao lists without the receiver: read the detail
        remote = _with_receiver(client, remote)
    if skus is None:
        skus = dict(
            Sku.objects.filter(
                product__seller_id=store.organisation_id,
                outer_id__in={line.outer_sku_id for line in remote.lines},
            ).values_list("outer_id", "pk")
        )
    lines, unmatched = [], []
    for line in remote.lines:
        sku_id = skus.get(line.outer_sku_id)
        if sku_id is None:
            unmatched.append(
                {"outer_id": line.outer_sku_id, "title": line.title, "quantity": line.quantity}
            )
            continue
        lines.append(FactLine(sku_id=sku_id, quantity=line.quantity, unit_price=line.unit_price))
    goods = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
    receiver = remote.receiver
    consignee = Consignee(
        name=(receiver.name if receiver else "")[:64] or "-",
        phone=(receiver.phone if receiver else "")[:20] or "-",
        address=(
            "".join((receiver.province, receiver.city, receiver.district, receiver.address))
            if receiver
            else ""
        )[:200]
        or "-",
    )
    mapped, unknown = _status_of(remote)
    with transaction.atomic():
        order = order_accept_fact(
            seller_id=store.organisation_id,
            source_ref=f"{store.app.platform}:{store.pk}:{remote.remote_id}",
            status=mapped or S.CREATED,
            lines=lines,
            consignee=consignee,
            shipping_amount=max(remote.total - goods, Decimal("0")),
            discount_amount=max(goods - remote.total, Decimal("0")),
            shipment=_shipment(store, remote),
            status_unknown=unknown,
        )
        return StoreOrder.objects.create(
            store=store,
            remote_id=remote.remote_id,
            order=order,
            remote_status=remote.remote_status,
            remote_total=remote.total,
            remote_modified_at=remote.modified_at,
            unmatched=unmatched,
        )


def _with_receiver(client: Connector, remote: RemoteOrder) -> RemoteOrder:
    detail = client.order_get(order_id=remote.remote_id)
    return detail if detail.modified_at >= remote.modified_at else remote


def after_sale_upsert(*, store: Store, client: Connector, remote: AfterSale) -> StoreAfterSale:
    fact = StoreOrder.objects.filter(store=store, remote_id=remote.order_id).first()
    if fact is None:  # its order changed before our order cursor: read it now
        order_upsert(store=store, client=client, remote=client.order_get(order_id=remote.order_id))
        fact = StoreOrder.objects.get(store=store, remote_id=remote.order_id)
    state = AFTER_SALE_MAP[remote.status]
    with transaction.atomic():
        row, _created = StoreAfterSale.objects.get_or_create(
            store=store,
            remote_id=remote.remote_id,
            defaults={
                "store_order": fact,
                "state": state,
                "remote_status": remote.remote_status,
                "amount": remote.amount,
                "with_return": remote.with_return,
                "reason": remote.reason[:200],
                "remote_modified_at": remote.modified_at,
            },
        )
        if not _created and row.state != AfterSaleState.REFUNDED:
            row.state, row.remote_status = state, remote.remote_status
            row.amount, row.remote_modified_at = remote.amount, remote.modified_at
            row.save(update_fields=["state", "remote_status", "amount", "remote_modified_at"])
        if state == AfterSaleState.REFUNDED:
            first = StoreAfterSale.objects.filter(pk=row.pk, refunded_at__isnull=True).update(
                refunded_at=timezone.now()
            )
            if first:
                order_fact_refund(
                    order_id=fact.order_id,
                    refund_ref=f"{store.app.platform}:{remote.remote_id}",
                    amount=remote.amount,
                )
    return row


# Push-back -------------------------------------------------------------------------------
def shipment_push_queue(*, order_id: int) -> int | None:
    """After our merchant shipped an imported order: mark it to send. Returns the
    StoreOrder id, or None when the order is not a marketplace order."""
    fact = StoreOrder.objects.filter(order_id=order_id).first()
    if fact is None:
        return None
    StoreOrder.objects.filter(pk=fact.pk).exclude(push_status=PushStatus.SENT).update(
        push_status=PushStatus.PENDING, push_error=""
    )
    return fact.pk


def _platform_code(platform: str, courier: Courier) -> str:
    if platform == Platform.TAOBAO:
        return courier.taobao_code
    if platform == Platform.PINDUODUO:
        return str(courier.pdd_logistics_id or "")
    return str(courier.jd_logistics_id or "")


def shipment_push(*, store_order_id: int) -> float | None:
    """Send one shipment; None when settled (sent or rejected), else seconds to wait."""
    fact = StoreOrder.objects.select_related("store__app", "order__courier").get(pk=store_order_id)
    if fact.push_status != PushStatus.PENDING:
        return None
    order, store = fact.order, fact.store
    code = _platform_code(store.app.platform, order.courier) if order.courier else ""
    if not code:
        _rejected(fact, f"courier {order.courier or '-'} has no code on {store.app.platform}")
        return None
    StoreOrder.objects.filter(pk=fact.pk).update(push_attempts=fact.push_attempts + 1)
    try:
        store_connector(store=store).shipment_send(
            shipment=Shipment(
                order_id=fact.remote_id, courier_code=code, waybill_no=order.waybill_no
            )
        )
    except (RemoteUnavailable, RateLimited) as error:
        StoreOrder.objects.filter(pk=fact.pk).update(push_error=str(error)[:300])
        retry_after = getattr(error, "retry_after", None)
        backoff = settings.STORES_PUSH_BACKOFF_SECONDS * 2 ** min(fact.push_attempts, 8)
        return float(retry_after or backoff)
    except AuthError as error:
        from backend.stores.services import store_needs_reauthorisation

        store_needs_reauthorisation(store=store, platform_message=str(error))
        StoreOrder.objects.filter(pk=fact.pk).update(push_error=str(error)[:300])
        return settings.STORES_PUSH_BACKOFF_SECONDS * 60
    except ConnectorError as error:
        _rejected(fact, str(error))
        return None
    StoreOrder.objects.filter(pk=fact.pk, push_status=PushStatus.PENDING).update(
        push_status=PushStatus.SENT, push_error=""
    )
    return None


def _rejected(fact: StoreOrder, reason: str) -> None:
    with transaction.atomic():
        StoreOrder.objects.filter(pk=fact.pk).update(
            push_status=PushStatus.REJECTED, push_error=reason[:300]
        )
        publish(
            "store.shipment_rejected",
            {"store_id": fact.store_id, "order_id": fact.order_id, "reason": reason[:300]},
        )
