"""Remote orders and after-sales into ours, a page at a time.

New orders enter in bulk (`orders_accept_facts`): the order's own unique key (store, remote
order id) decides what is new, so a re-import or a concurrent one creates nothing twice;
their `StoreOrder` rows follow in one insert. Known orders that changed move as facts
(`order_fact_move`), one by one: those are few. After-sales are kept per (store, remote
refund id); each refunded one is entered once (its refund's unique reference), and one with
goods returned puts the order's stock back once."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backend.catalog.models import Sku
from backend.common.events import publishing_batch
from backend.orders.models import Courier, Order
from backend.orders.models import OrderStatus as S
from backend.orders.services_checkout import Consignee
from backend.orders.services_import import (
    order_fact_move,
    order_fact_refund,
    order_goods_returned,
)
from backend.orders.services_import_batch import (
    FactLine,
    FactOrder,
    FactShipment,
    orders_accept_facts,
)
from backend.stores.models import AfterSaleState, Platform, Store, StoreAfterSale, StoreOrder
from shop_connectors.interface import Connector
from shop_connectors.models import AfterSale, AfterSaleStatus, OrderStatus
from shop_connectors.models import Order as RemoteOrder

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
GONE_OUT = {S.SHIPPED, S.DELIVERED, S.COMPLETED}  # the goods left: a return brings them back
AFTER_SALE_MAP = {
    AfterSaleStatus.OPEN: AfterSaleState.OPEN,
    AfterSaleStatus.REFUNDED: AfterSaleState.REFUNDED,
    AfterSaleStatus.CLOSED: AfterSaleState.CLOSED,
    AfterSaleStatus.UNKNOWN: AfterSaleState.UNKNOWN,
}


class _Page:
    """What one page needs read once: our SKUs by outer id and the couriers."""

    def __init__(self, store: Store, remotes: list[RemoteOrder]) -> None:
        self.store = store
        outer_ids = {line.outer_sku_id for r in remotes for line in r.lines}
        self.skus: dict[str, int] = dict(
            Sku.objects.filter(
                product__seller_id=store.organisation_id, outer_id__in=outer_ids
            ).values_list("outer_id", "pk")
        ) if outer_ids else {}  # fmt: skip
        self._couriers: list[Courier] | None = None

    def courier(self, code: str) -> Courier | None:
        """Our courier for the platform's code (Taobao also answers with the name)."""
        if not code:
            return None
        if self._couriers is None:
            self._couriers = list(Courier.objects.all())
        platform = self.store.app.platform
        if platform == Platform.TAOBAO:  # its code, else the company's name
            return next((c for c in self._couriers if c.taobao_code == code), None) or next(
                (c for c in self._couriers if c.name == code), None
            )
        if not code.isdigit():
            return None
        for courier in self._couriers:
            number = (
                courier.pdd_logistics_id
                if platform == Platform.PINDUODUO
                else courier.jd_logistics_id
            )
            if number == int(code):
                return courier
        return None

    def shipment(self, remote: RemoteOrder) -> FactShipment | None:
        if remote.shipment is None:
            return None
        code = remote.shipment.courier_code
        courier = self.courier(code)
        if courier is not None and self.store.app.platform == Platform.TAOBAO:
            code = courier.taobao_code or code  # Taobao lists the company's name, not its code
        return FactShipment(
            courier_code=code,
            waybill_no=remote.shipment.waybill_no,
            courier_id=courier.pk if courier else None,
        )


def orders_upsert_batch(
    *, store: Store, client: Connector, remotes: list[RemoteOrder], chunk: int = 500
) -> list[str]:
    """A window's orders in pages of `chunk`, each one transaction: 'created', 'updated'
    or 'unchanged' for each remote order given."""
    outcomes: list[str] = []
    for at in range(0, len(remotes), chunk):
        outcomes += _page_upsert(store, client, remotes[at : at + chunk])
    return outcomes


def _page_upsert(store: Store, client: Connector, part: list[RemoteOrder]) -> list[str]:
    known = {
        f.remote_id: f
        for f in StoreOrder.objects.filter(store=store, remote_id__in=[r.remote_id for r in part])
    }
    latest: dict[str, RemoteOrder] = {}
    for remote in part:  # a window may list an order twice: its latest state counts
        seen = latest.get(remote.remote_id)
        if seen is None or remote.modified_at >= seen.modified_at:
            latest[remote.remote_id] = remote
    new = [
        f.result()
        for f in details_read(client, [r for r in latest.values() if r.remote_id not in known])
    ]
    page = _Page(store, part)
    outcome: dict[str, str] = {}
    with transaction.atomic(), publishing_batch():
        created = _facts_enter(page, new)
        outcome |= {remote_id: "created" for remote_id in created}
        for remote in latest.values():
            if remote.remote_id in outcome:
                continue
            fact = known.get(remote.remote_id) or StoreOrder.objects.get(
                store=store, remote_id=remote.remote_id
            )  # entered meanwhile by a concurrent import
            outcome[remote.remote_id] = order_update(page=page, remote=remote, fact=fact)
    return [outcome[r.remote_id] if r is latest[r.remote_id] else "unchanged" for r in part]


def _facts_enter(page: _Page, remotes: list[RemoteOrder]) -> dict[str, Order]:
    """New remote orders into ours, with their StoreOrder rows, in two inserts."""
    facts, unmatched = [], {}
    for remote in remotes:
        fact, unmatched[remote.remote_id] = _fact_of(page, remote)
        facts.append(fact)
    created = orders_accept_facts(seller_id=page.store.organisation_id, facts=facts)
    by_id = {r.remote_id: r for r in remotes}
    StoreOrder.objects.bulk_create(
        StoreOrder(store=page.store, remote_id=remote_id, order=order,
                   remote_status=by_id[remote_id].remote_status,
                   remote_total=by_id[remote_id].total,
                   remote_modified_at=by_id[remote_id].modified_at,
                   unmatched=unmatched[remote_id])
        for remote_id, order in created.items()
    )  # fmt: skip
    return created


def _fact_of(page: _Page, remote: RemoteOrder) -> tuple[FactOrder, list[dict[str, object]]]:
    lines, unmatched = [], []
    for line in remote.lines:
        sku_id = page.skus.get(line.outer_sku_id)
        if sku_id is None:
            unmatched.append(
                {"outer_id": line.outer_sku_id, "title": line.title, "quantity": line.quantity}
            )
            continue
        lines.append(FactLine(sku_id=sku_id, quantity=line.quantity, unit_price=line.unit_price))
    goods = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
    mapped, unknown = STATUS_MAP[remote.status], remote.status is OrderStatus.UNKNOWN
    store = page.store
    fact = FactOrder(
        store_id=store.pk,
        remote_id=remote.remote_id,
        source_ref=f"{store.app.platform}:{store.pk}:{remote.remote_id}",
        status=mapped or S.CREATED,
        lines=lines,
        consignee=_consignee(remote),
        shipping_amount=max(remote.total - goods, Decimal("0")),
        discount_amount=max(goods - remote.total, Decimal("0")),
        shipment=page.shipment(remote),
        status_unknown=unknown,
    )
    return fact, unmatched


def _consignee(remote: RemoteOrder) -> Consignee:
    receiver = remote.receiver
    address = (
        "".join((receiver.province, receiver.city, receiver.district, receiver.address))
        if receiver
        else ""
    )
    return Consignee(
        name=(receiver.name if receiver else "")[:64] or "-",
        phone=(receiver.phone if receiver else "")[:20] or "-",
        address=address[:200] or "-",
    )


def details_read(
    client: Connector, remotes: list[RemoteOrder], pool: ThreadPoolExecutor | None = None
) -> list[Future[RemoteOrder]]:
    """Each order with its receiver: Taobao lists without it, its detail has it. Read in
    the background on `pool` (HTTP only; the platform's limit, shared through Redis, paces
    the calls), at once without one."""

    def one(remote: RemoteOrder) -> RemoteOrder:
        if remote.receiver is not None:
            return remote
        detail = client.order_get(order_id=remote.remote_id)
        return detail if detail.modified_at >= remote.modified_at else remote

    if pool is not None:
        return [pool.submit(one, remote) for remote in remotes]
    done: list[Future[RemoteOrder]] = []
    for remote in remotes:
        future: Future[RemoteOrder] = Future()
        future.set_result(one(remote))
        done.append(future)
    return done


def order_update(*, page: _Page, remote: RemoteOrder, fact: StoreOrder) -> str:
    """A known order as its platform now says: 'updated' or 'unchanged'."""
    if fact.remote_status == remote.remote_status and (
        fact.remote_modified_at >= remote.modified_at
    ):
        return "unchanged"
    mapped, unknown = STATUS_MAP[remote.status], remote.status is OrderStatus.UNKNOWN
    with transaction.atomic():
        moved = order_fact_move(
            order_id=fact.order_id,
            to=mapped or Order.objects.values_list("status", flat=True).get(pk=fact.order_id),
            shipment=page.shipment(remote),
            status_unknown=unknown,
            note=f"{page.store.app.platform}: {remote.remote_status}",
        )
        StoreOrder.objects.filter(pk=fact.pk).update(
            remote_status=remote.remote_status,
            remote_modified_at=max(fact.remote_modified_at, remote.modified_at),
            updated_at=timezone.now(),
        )
    return "updated" if moved else "unchanged"


def order_upsert(*, store: Store, client: Connector, remote: RemoteOrder) -> str:
    """One remote order (an after-sale's order we had not read yet)."""
    return orders_upsert_batch(store=store, client=client, remotes=[remote])[0]


def after_sale_upsert(*, store: Store, client: Connector, remote: AfterSale) -> StoreAfterSale:
    fact = StoreOrder.objects.filter(store=store, remote_id=remote.order_id).first()
    if fact is None:  # its order changed before our order cursor: read it now
        order_upsert(store=store, client=client, remote=client.order_get(order_id=remote.order_id))
        fact = StoreOrder.objects.get(store=store, remote_id=remote.order_id)
    state = AFTER_SALE_MAP[remote.status]
    with transaction.atomic():
        row, created = StoreAfterSale.objects.get_or_create(
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
        if not created and row.state != AfterSaleState.REFUNDED:
            row.state, row.remote_status = state, remote.remote_status
            row.amount, row.remote_modified_at = remote.amount, remote.modified_at
            row.with_return = remote.with_return
            row.save(update_fields=["state", "remote_status", "amount", "remote_modified_at",
                                    "with_return"])  # fmt: skip
        if state == AfterSaleState.REFUNDED:
            _after_sale_refunded(store, fact, row)
    return row


def _after_sale_refunded(store: Store, fact: StoreOrder, row: StoreAfterSale) -> None:
    """Once per after-sale (a conditional update): its refund, and when goods came back
    from a shipped order, their stock (once per order: a second return of the same order
    has no lines of its own to give back)."""
    first = StoreAfterSale.objects.filter(pk=row.pk, refunded_at__isnull=True).update(
        refunded_at=timezone.now()
    )
    if not first:
        return
    before = Order.objects.values_list("status", flat=True).get(pk=fact.order_id)
    order_fact_refund(
        order_id=fact.order_id,
        refund_ref=f"{store.app.platform}:{store.pk}:{row.remote_id}",
        amount=row.amount,
    )
    if not row.with_return or before not in GONE_OUT:
        return  # goods that never left were given back by the refund itself, if whole
    restock = (
        StoreAfterSale.objects.filter(pk=row.pk, restocked_at__isnull=True)
        .exclude(store_order__after_sales__restocked_at__isnull=False)
        .update(restocked_at=timezone.now())
    )
    if restock:
        order_goods_returned(order_id=fact.order_id)
