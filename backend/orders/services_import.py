"""Orders that happened elsewhere (a marketplace store) enter as facts: in their mapped
state, even when local stock is short; the shortfall is flagged, never refused."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from backend.catalog.lock_objects import sku_stock_lock
from backend.catalog.models import Sku, StockEntry
from backend.catalog.services_stock import StockInsufficient, stock_change
from backend.common.events import publish
from backend.orders.models import Checkout, Order, OrderEvent, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.services_checkout import Consignee, new_number, order_line, order_payload
from backend.orders.state import EVENT_FOR


@dataclass(frozen=True)
class FactLine:
    sku_id: int
    quantity: int
    unit_price: Decimal


def _take_what_there_is(*, sku_id: int, quantity: int, ref: str) -> int:
    """Reserve up to `quantity`; return the shortfall."""
    try:
        stock_change(sku_id=sku_id, delta=-quantity, reason=StockEntry.Reason.IMPORT, ref=ref)
        return 0
    except StockInsufficient:
        available = sku_stock_lock(sku_id=sku_id)
        if available > 0:
            stock_change(sku_id=sku_id, delta=-available, reason=StockEntry.Reason.IMPORT, ref=ref)
        return quantity - available


def order_accept_fact(
    *,
    seller_id: int,
    source_ref: str,
    status: str,
    lines: list[FactLine],
    consignee: Consignee,
    shipping_amount: Decimal = Decimal("0"),
    discount_amount: Decimal = Decimal("0"),
) -> Order:
    """Idempotent by (store, source_ref): the same remote order twice is one order."""
    existing = Order.objects.filter(source_kind=SourceKind.STORE, source_ref=source_ref).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _fact_create(
                seller_id, source_ref, status, lines, consignee, shipping_amount, discount_amount
            )
    except IntegrityError:
        return Order.objects.get(source_kind=SourceKind.STORE, source_ref=source_ref)


def _fact_create(
    seller_id: int,
    source_ref: str,
    status: str,
    lines: list[FactLine],
    consignee: Consignee,
    shipping: Decimal,
    discount: Decimal,
) -> Order:
    goods = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
    checkout = Checkout.objects.create(
        number=new_number("CK"), total_amount=goods - discount + shipping
    )
    order = Order.objects.create(
        number=new_number("QS"),
        checkout=checkout,
        seller_id=seller_id,
        buyer=None,
        source_kind=SourceKind.STORE,
        source_ref=source_ref,
        status=status,
        consignee_name=consignee.name,
        consignee_phone=consignee.phone,
        address=consignee.address,
        goods_amount=goods,
        discount_amount=discount,
        shipping_amount=shipping,
        paid_amount=goods - discount + shipping,
    )
    skus = {
        s.pk: s
        for s in Sku.objects.select_related("product").filter(
            pk__in=[line.sku_id for line in lines]
        )
    }
    for line in sorted(lines, key=lambda item: item.sku_id):
        sku = skus[line.sku_id]
        shortfall = 0
        if status not in (S.CANCELLED, S.REFUNDED):
            shortfall = _take_what_there_is(sku_id=sku.pk, quantity=line.quantity, ref=order.number)
        order_line(
            order=order,
            sku=sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            shortfall=shortfall,
        ).save()
        order.stock_shortfall |= shortfall > 0
    order.save(update_fields=["stock_shortfall"])
    OrderEvent.objects.create(order=order, from_status="", to_status=status, note="imported")
    publish("order.created", order_payload(order, stock_shortfall=order.stock_shortfall))
    if status in EVENT_FOR:
        publish(EVENT_FOR[status], order_payload(order))
    return order
