"""Marketplace orders and after-sales, imported incrementally; shipments pushed back.

Import: from a cursor per store (minus a small overlap), in windows of the platform's
maximum, each window read whole (the connector pages it backwards) before the cursor moves
to its end. Orders are upserted by (store, remote order id) — the order's own unique key —
into the order flow as facts, a page at a time (services_orders_upsert); a re-import finds
the same rows and changes nothing. A refused token stops the run where it is: the cursor
never passes what was not read. After-sales are kept per (store, remote refund id); each
one refunded publishes `order.refunded` once (a conditional update on `refunded_at`).

Push-back: an `order.shipped` from our merchant's ship action for an imported order sends
the courier's platform code and the waybill; transient failures come back with a delay
(the task retries with backoff), a rejection keeps the platform's reason on the order.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.common.events import publish
from backend.orders.models import Courier
from backend.stores.connectors import store_connector
from backend.stores.models import Platform, PushStatus, Store, StoreOrder, StoreStatus
from backend.stores.services_orders_upsert import (
    after_sale_upsert,
    details_read,
    orders_upsert_batch,
)
from shop_connectors.errors import AuthError, ConnectorError, RateLimited, RemoteUnavailable
from shop_connectors.interface import Connector
from shop_connectors.models import Order as RemoteOrder
from shop_connectors.models import Shipment
from shop_connectors.windows import slice_windows

log = logging.getLogger("backend.stores.orders")
OVERLAP = timedelta(seconds=1)


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


PAGE = 500  # orders written in one transaction (a page of the import)


def _orders_read(store: Store, client: Connector, end: datetime, result: ImportResult) -> None:
    """Windows read whole, gathered until a page is full, then written as one: the cursor
    moves to the end of the last window written, never past one read but not written.
    The details a listing lacks are read in the background meanwhile, for the orders we do
    not hold yet."""
    start = _range_start(store.orders_cursor, end)
    if start >= end:
        return
    gathered: list[Future[RemoteOrder]] = []
    first: datetime | None = None
    threads = settings.STORES_IMPORT_DETAIL_CONCURRENCY
    with ThreadPoolExecutor(max_workers=max(threads, 1)) as pool:
        try:
            for lower, upper in slice_windows(
                start=start, end=end, max_window=_window(client), overlap=OVERLAP
            ):
                to_read, ready = _lacking_details(
                    store, list(client.orders_changed(start=lower, end=upper))
                )
                gathered += details_read(client, to_read, pool) + details_read(client, ready)
                first = first or lower
                result.windows += 1
                if len(gathered) >= PAGE or upper >= end:
                    remotes = [future.result() for future in gathered]
                    _orders_write(store, client, remotes, result, (first, upper))
                    gathered, first = [], None
        finally:
            for future in gathered:
                future.cancel()


def _lacking_details(
    store: Store, listed: list[RemoteOrder]
) -> tuple[list[RemoteOrder], list[RemoteOrder]]:
    """(orders whose detail must be read: listed without receiver and not held yet, the
    others)."""
    lacking = [r.remote_id for r in listed if r.receiver is None]
    held = set(
        StoreOrder.objects.filter(store=store, remote_id__in=lacking).values_list(
            "remote_id", flat=True
        )
    ) if lacking else set()  # fmt: skip
    to_read = [r for r in listed if r.receiver is None and r.remote_id not in held]
    return to_read, [r for r in listed if r.receiver is not None or r.remote_id in held]


def _orders_write(
    store: Store,
    client: Connector,
    remotes: list[RemoteOrder],
    result: ImportResult,
    windows: tuple[datetime, datetime],
) -> None:
    for outcome in orders_upsert_batch(store=store, client=client, remotes=remotes, chunk=PAGE):
        setattr(result, outcome, getattr(result, outcome) + 1)
    # The windows were read and written whole: only now may the cursor pass them.
    Store.objects.filter(pk=store.pk).update(
        orders_cursor=windows[1], import_window_start=windows[0], import_window_end=windows[1]
    )


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
