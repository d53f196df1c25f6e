"""Orders that happened elsewhere (a marketplace store) enter as facts: in their mapped
state, even when local stock is short; the shortfall is flagged, never refused.

Facts then move as their platform says (`order_fact_move`, its own table in state.py),
never through our payment provider. Whatever the jump, an order at or past "paid" has
published `order.paid` exactly once (guarded by `paid_at`), and each refund publishes
`order.refunded` once with its own amount, never more in total than was paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.catalog.lock_objects import sku_stock_lock
from backend.catalog.models import Sku, StockEntry
from backend.catalog.services_stock import StockInsufficient, stock_change
from backend.common.events import publish
from backend.common.money import money_str
from backend.orders.lock_objects import order_lock
from backend.orders.models import Checkout, Courier, Order, OrderEvent, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.services import order_stock_release
from backend.orders.services_checkout import Consignee, new_number, order_line, order_payload
from backend.orders.state import EVENT_FOR, PAST_PAID, UNSHIPPED, fact_can_move

PLATFORM = "platform"  # origin of an order.shipped that came from the marketplace


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
    shipment: FactShipment | None = None,
    status_unknown: bool = False,
) -> Order:
    """Idempotent by (store, source_ref): the same remote order twice is one order."""
    existing = Order.objects.filter(source_kind=SourceKind.STORE, source_ref=source_ref).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _fact_create(
                seller_id,
                source_ref,
                status,
                lines,
                consignee,
                shipping_amount,
                discount_amount,
                shipment,
                status_unknown,
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
    shipment: FactShipment | None,
    status_unknown: bool,
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
        status_unknown=status_unknown,
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
    _fact_events(order, None, status, shipment)
    return order


def _fact_events(
    order: Order, source: str | None, status: str, shipment: FactShipment | None
) -> None:
    """The events (and their fields) of a fact reaching `status` from `source` (None: it
    enters now); the caller holds the order (created in this transaction, or locked)."""
    fields: list[str] = []
    if status in PAST_PAID and order.paid_at is None:
        order.paid_at = timezone.now()
        fields.append("paid_at")
        publish("order.paid", order_payload(order, status=S.PAID))
    extra: dict[str, Any] = {}
    if status == S.SHIPPED or (shipment is not None and status in (S.DELIVERED, S.COMPLETED)):
        if shipment is not None:
            order.courier_id = shipment.courier_id
            order.waybill_no = shipment.waybill_no
            order.shipped_at = order.shipped_at or timezone.now()
            fields += ["courier", "waybill_no", "shipped_at"]
        extra = {
            "courier_code": shipment.courier_code if shipment else "",
            "waybill_no": shipment.waybill_no if shipment else "",
            "origin": PLATFORM,
        }
    if status == S.REFUNDED:
        remainder = order.paid_amount - order.refunded_amount
        order.refunded_amount = order.paid_amount
        fields.append("refunded_amount")
        if remainder > 0:
            extra = {"amount_refunded": money_str(remainder), "refund_ref": "order"}
        if source in UNSHIPPED:
            order_stock_release(order=order, by=None)
    if status == S.CANCELLED and source is not None:
        order_stock_release(order=order, by=None)
    if fields:
        order.save(update_fields=[*fields, "updated_at"])
    if status == S.PAID or status not in EVENT_FOR:
        return
    if status == S.REFUNDED and "amount_refunded" not in extra:
        return  # its refunds were each published already
    publish(EVENT_FOR[status], order_payload(order, **extra))


def order_fact_move(
    *,
    order_id: int,
    to: str,
    shipment: FactShipment | None = None,
    status_unknown: bool = False,
    note: str = "",
) -> bool:
    """Move an imported order to what its platform now says. A move the fact table does
    not allow (the platform is behind us: we shipped, it still says paid) changes nothing.
    Returns whether the order moved."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if order.source_kind != SourceKind.STORE:
            raise ValueError("only imported orders move as facts")
        if order.status_unknown != status_unknown:
            order.status_unknown = status_unknown
            order.save(update_fields=["status_unknown", "updated_at"])
        if status_unknown or order.status == to or not fact_can_move(order.status, to):
            return False
        source = order.status
        order.status = to
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(order=order, from_status=source, to_status=to, note=note)
        _fact_events(order, source, to, shipment)
        return True


def order_fact_refund(*, order_id: int, refund_ref: str, amount: Decimal) -> Decimal:
    """One refund of an imported order, paid back on its platform: publishes order.refunded
    with what it returned (capped at what is left of the payment). When the refunds reach
    the whole payment the order is refunded. The caller makes it once per refund."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        left = order.paid_amount - order.refunded_amount
        paid_back = min(amount, left)
        if paid_back <= 0:
            return Decimal("0.00")
        order.refunded_amount += paid_back
        fields = ["refunded_amount", "updated_at"]
        source = order.status
        if order.refunded_amount == order.paid_amount and fact_can_move(source, S.REFUNDED):
            order.status = S.REFUNDED
            fields.append("status")
            OrderEvent.objects.create(order=order, from_status=source, to_status=S.REFUNDED)
            if source in UNSHIPPED:
                order_stock_release(order=order, by=None)
        order.save(update_fields=fields)
        extra = {"amount_refunded": money_str(paid_back), "refund_ref": refund_ref}
        publish("order.refunded", order_payload(order, **extra))
        return paid_back


def courier_for(*, platform: str, code: str) -> Courier | None:
    """Our courier for a platform's code (Taobao also answers with the company's name)."""
    if not code:
        return None
    if platform == "taobao":
        return Courier.objects.filter(taobao_code=code).first() or (
            Courier.objects.filter(name=code).first()
        )
    if not code.isdigit():
        return None
    if platform == "pinduoduo":
        return Courier.objects.filter(pdd_logistics_id=int(code)).first()
    return Courier.objects.filter(jd_logistics_id=int(code)).first()
