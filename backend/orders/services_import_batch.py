"""Marketplace orders entered as facts, a page at a time: bulk inserts with the database's
unique key (store, remote order id) deciding what is new (INSERT … ON CONFLICT DO NOTHING),
one stock statement per SKU for the page, and every event of the page written together.
No statement per order: a page of any size costs the same dozen statements.

An order enters in its mapped state even when stock is short (the shortfall is flagged,
never refused); at or past "paid" it publishes `order.paid` once (paid_at is set as it
enters); a shipment from the platform carries its courier and waybill (origin
"platform"); one that enters refunded records the platform's refund of the whole payment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.catalog.models import Sku, StockEntry
from backend.catalog.services_stock import StockTake, stock_take_available
from backend.common.events import publish, publishing_batch
from backend.common.money import money_str
from backend.orders.models import Checkout, Order, OrderEvent, OrderLine, Refund, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.services_checkout import Consignee, new_number, order_line, order_payload
from backend.orders.state import EVENT_FOR, PAST_PAID

PLATFORM = "platform"  # origin of an order.shipped that came from the marketplace
NO_STOCK = {S.CANCELLED, S.REFUNDED}  # entering so, the order holds no stock


@dataclass(frozen=True)
class FactShipment:
    """A shipment the platform reports: its own courier code, and ours when we know it."""

    courier_code: str
    waybill_no: str
    courier_id: int | None = None


@dataclass(frozen=True)
class FactLine:
    sku_id: int
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class FactOrder:
    """One remote order as it enters: its key is (store_id, remote_id)."""

    store_id: int
    remote_id: str
    source_ref: str
    status: str
    lines: list[FactLine]
    consignee: Consignee
    shipping_amount: Decimal = Decimal("0")
    discount_amount: Decimal = Decimal("0")
    shipment: FactShipment | None = None
    status_unknown: bool = False


@dataclass
class _Entering:
    fact: FactOrder
    order: Order
    lines: list[OrderLine] = field(default_factory=list)


def shipped_fields(status: str, shipment: FactShipment | None) -> bool:
    """Whether a fact reaching `status` says how it was shipped."""
    return status == S.SHIPPED or (shipment is not None and status in (S.DELIVERED, S.COMPLETED))


def shipped_extra(shipment: FactShipment | None) -> dict[str, Any]:
    return {
        "courier_code": shipment.courier_code if shipment else "",
        "waybill_no": shipment.waybill_no if shipment else "",
        "origin": PLATFORM,
    }


def orders_accept_facts(*, seller_id: int, facts: list[FactOrder]) -> dict[str, Order]:
    """Enter the facts not entered yet; returns the orders this call created, by remote id
    (one already entered, by an earlier import or a concurrent one, is not among them).
    Call inside a transaction."""
    if not facts:
        return {}
    now = timezone.now()
    entering = [_Entering(fact=f, order=_order(seller_id, f, now)) for f in facts]
    _numbers_distinct([e.order for e in entering])
    with transaction.atomic(savepoint=False), publishing_batch():
        Checkout.objects.bulk_create([e.order.checkout for e in entering])
        Order.objects.bulk_create([e.order for e in entering], ignore_conflicts=True)
        ours = {
            (number, remote_id): pk
            for number, remote_id, pk in Order.objects.filter(
                number__in=[e.order.number for e in entering]
            ).values_list("number", "external_id", "pk")
        }
        left_out = [e for e in entering if (e.order.number, e.fact.remote_id) not in ours]
        entering = [e for e in entering if (e.order.number, e.fact.remote_id) in ours]
        for e in entering:
            e.order.pk = ours[(e.order.number, e.fact.remote_id)]
        if left_out:  # entered meanwhile by another import (or a number taken): no checkout
            Checkout.objects.filter(pk__in=[e.order.checkout.pk for e in left_out]).delete()
        _lines_and_stock(entering)
        _records_and_events(entering, now)
        created = {e.fact.remote_id: e.order for e in entering}
        if left_out:
            created |= orders_accept_facts(seller_id=seller_id, facts=_not_entered(left_out))
    return created


def _numbers_distinct(orders: list[Order]) -> None:
    """Numbers are random within a second: no two alike in one page."""
    seen: set[str] = set()
    for order in orders:
        while order.number in seen:
            order.number = new_number("QS")
        while order.checkout.number in seen:
            order.checkout.number = new_number("CK")
        seen |= {order.number, order.checkout.number}


def _not_entered(left_out: list[_Entering]) -> list[FactOrder]:
    """Of the facts the insert left out, those whose key nobody holds (their number was
    taken): they are tried again with new numbers; the others were entered elsewhere."""
    keys = set(
        Order.objects.filter(
            external_store_id__in={e.fact.store_id for e in left_out},
            external_id__in=[e.fact.remote_id for e in left_out],
        ).values_list("external_store_id", "external_id")
    )
    return [e.fact for e in left_out if (e.fact.store_id, e.fact.remote_id) not in keys]


def _order(seller_id: int, fact: FactOrder, now: Any) -> Order:
    goods = sum((line.unit_price * line.quantity for line in fact.lines), Decimal("0"))
    paid = goods - fact.discount_amount + fact.shipping_amount
    order = Order(
        number=new_number("QS"),
        checkout=Checkout(number=new_number("CK"), total_amount=paid),
        seller_id=seller_id,
        source_kind=SourceKind.STORE,
        source_ref=fact.source_ref,
        external_store_id=fact.store_id,
        external_id=fact.remote_id,
        status=fact.status,
        consignee_name=fact.consignee.name,
        consignee_phone=fact.consignee.phone,
        address=fact.consignee.address,
        goods_amount=goods,
        discount_amount=fact.discount_amount,
        shipping_amount=fact.shipping_amount,
        paid_amount=paid,
        status_unknown=fact.status_unknown,
        refunded_amount=paid if fact.status == S.REFUNDED else Decimal("0"),
        paid_at=now if fact.status in PAST_PAID else None,
        created_at=now,
        updated_at=now,
    )
    if shipped_fields(fact.status, fact.shipment) and fact.shipment is not None:
        order.courier_id = fact.shipment.courier_id
        order.waybill_no = fact.shipment.waybill_no
        order.shipped_at = now
    return order


def _lines_and_stock(entering: list[_Entering]) -> None:
    """Lines with their snapshots; stock taken for the whole page at once, what is short
    flagged on the line and the order."""
    sku_ids = {line.sku_id for e in entering for line in e.fact.lines}
    skus = Sku.objects.select_related("product").in_bulk(sku_ids)
    takes: list[tuple[OrderLine, StockTake]] = []
    for e in entering:
        for fact_line in sorted(e.fact.lines, key=lambda item: item.sku_id):
            line = order_line(
                order=e.order,
                sku=skus[fact_line.sku_id],
                quantity=fact_line.quantity,
                unit_price=fact_line.unit_price,
            )
            e.lines.append(line)
            if e.fact.status not in NO_STOCK:
                take = StockTake(sku_id=line.sku_id, quantity=line.quantity, ref=e.order.number)
                takes.append((line, take))
    if takes:
        shortfalls = stock_take_available(
            takes=[take for _line, take in takes], reason=StockEntry.Reason.IMPORT
        )
        for (line, _take), short in zip(takes, shortfalls, strict=True):
            line.shortfall = short
    OrderLine.objects.bulk_create([line for e in entering for line in e.lines])
    short_orders = [e.order for e in entering if any(line.shortfall for line in e.lines)]
    for order in short_orders:
        order.stock_shortfall = True
    if short_orders:
        Order.objects.filter(pk__in=[o.pk for o in short_orders]).update(stock_shortfall=True)


def _records_and_events(entering: list[_Entering], now: Any) -> None:
    OrderEvent.objects.bulk_create(
        OrderEvent(order=e.order, from_status="", to_status=e.fact.status, note="imported")
        for e in entering
    )
    refunds = [
        Refund(order=e.order, provider=PLATFORM, out_refund_no=f"{e.order.number}:order",
               amount=e.order.paid_amount, status=Refund.Status.SUCCEEDED, settled_at=now)
        for e in entering
        if e.fact.status == S.REFUNDED and e.order.paid_amount > 0
    ]  # fmt: skip
    Refund.objects.bulk_create(refunds)
    refunded = {refund.order_id: refund for refund in refunds}
    for e in entering:
        order, status = e.order, e.fact.status
        publish("order.created", order_payload(order, stock_shortfall=order.stock_shortfall))
        if status in PAST_PAID:
            publish("order.paid", order_payload(order, status=S.PAID))
        extra: dict[str, Any] = {}
        if shipped_fields(status, e.fact.shipment):
            extra = shipped_extra(e.fact.shipment)
        if status == S.REFUNDED:
            refund = refunded.get(order.pk)
            if refund is None:
                continue  # nothing was paid: nothing went back
            extra = {
                "amount_refunded": money_str(refund.amount),
                "refund_ref": refund.out_refund_no,
            }
        if status != S.PAID and status in EVENT_FOR:
            publish(EVENT_FOR[status], order_payload(order, **extra))
