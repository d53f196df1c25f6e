"""Orders that happened elsewhere (a marketplace store) enter as facts: in their mapped
state, even when local stock is short; the shortfall is flagged, never refused.

Facts then move as their platform says (`order_fact_move`, its own table in state.py),
never through our payment provider. Whatever the jump, an order at or past "paid" has
published `order.paid` exactly once (guarded by `paid_at`), and each refund publishes
`order.refunded` once with its own amount, never more in total than was paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.catalog.models import StockEntry
from backend.catalog.services_stock import stock_change
from backend.common.events import publish
from backend.common.money import money_str
from backend.orders.lock_objects import order_lock
from backend.orders.models import Order, OrderEvent, Refund, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.services import order_stock_release
from backend.orders.services_checkout import order_payload
from backend.orders.services_import_batch import (
    PLATFORM,
    FactOrder,
    FactShipment,
    orders_accept_facts,
    shipped_extra,
    shipped_fields,
)
from backend.orders.services_refund import refunded_add
from backend.orders.state import EVENT_FOR, PAST_PAID, UNSHIPPED, fact_can_move


def order_accept_fact(*, seller_id: int, fact: FactOrder) -> Order:
    """One fact (a page of one): idempotent by (store, remote id), the same remote order
    twice is one order."""
    with transaction.atomic():
        created = orders_accept_facts(seller_id=seller_id, facts=[fact])
    if fact.remote_id in created:
        return created[fact.remote_id]
    return Order.objects.get(external_store_id=fact.store_id, external_id=fact.remote_id)


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
    if shipped_fields(status, shipment):
        if shipment is not None:
            order.courier_id = shipment.courier_id
            order.waybill_no = shipment.waybill_no
            order.shipped_at = order.shipped_at or timezone.now()
            fields += ["courier", "waybill_no", "shipped_at"]
        extra = shipped_extra(shipment)
    if status == S.REFUNDED:
        remainder = order.paid_amount - order.refunded_amount
        ref = f"{order.number}:order"
        if remainder > 0 and _platform_refund(order, ref=ref, amount=remainder):
            extra = {"amount_refunded": money_str(remainder), "refund_ref": ref}
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


def _platform_refund(order: Order, *, ref: str, amount: Decimal) -> bool:
    """Record a refund paid on the platform, once per ref (the unique out_refund_no), adding
    up on the order within what was paid. Call under the order's lock."""
    row, created = Refund.objects.get_or_create(
        out_refund_no=ref[:64],
        defaults={"order": order, "provider": PLATFORM, "amount": amount,
                  "status": Refund.Status.SUCCEEDED, "settled_at": timezone.now()},
    )  # fmt: skip
    if not created:
        return False
    if not refunded_add(order_id=order.pk, amount=amount):
        row.delete()  # it would return more than was paid: not entered
        return False
    order.refunded_amount += amount
    return True


def order_fact_refund(*, order_id: int, refund_ref: str, amount: Decimal) -> Decimal:
    """One refund of an imported order, paid back on its platform, entered once per
    `refund_ref`: publishes order.refunded with what it returned (capped at what is left of
    the payment). When the refunds reach the whole payment the order is refunded."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        paid_back = min(amount, order.paid_amount - order.refunded_amount)
        if paid_back <= 0 or not _platform_refund(order, ref=refund_ref, amount=paid_back):
            return Decimal("0.00")
        source = order.status
        if order.refunded_amount == order.paid_amount and fact_can_move(source, S.REFUNDED):
            order.status = S.REFUNDED
            order.save(update_fields=["status", "updated_at"])
            OrderEvent.objects.create(order=order, from_status=source, to_status=S.REFUNDED)
            if source in UNSHIPPED:
                order_stock_release(order=order, by=None)
        extra = {"amount_refunded": money_str(paid_back), "refund_ref": refund_ref}
        publish("order.refunded", order_payload(order, **extra))
        return paid_back


def order_goods_returned(*, order_id: int) -> int:
    """Goods that came back (a return): each line's stock back through the stock service,
    one ledger row and one sku.stock_changed per line. The caller makes it once per order;
    returns how many units came back."""
    back = 0
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        for line in order.lines.order_by("sku_id"):
            units = line.quantity - line.shortfall
            if units > 0:
                stock_change(sku_id=line.sku_id, delta=units, reason=StockEntry.Reason.RELEASE,
                             note="returned", ref=order.number)  # fmt: skip
                back += units
    return back
