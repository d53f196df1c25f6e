"""Every write to orders: the state machine, merchant handling, expiry (checkout is in
services_checkout)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import StockEntry
from backend.catalog.services_locations import location_stock_change
from backend.catalog.services_stock import stock_change
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import order_lock
from backend.orders.models import Courier, Order, OrderEvent, Refund
from backend.orders.models import OrderStatus as S
from backend.orders.services_checkout import Consignee as Consignee
from backend.orders.services_checkout import checkout_place as checkout_place
from backend.orders.services_checkout import order_payload
from backend.orders.state import can_move, event_for


def order_move(
    *,
    order: Order,
    to: str,
    by: User | None,
    note: str = "",
    event_extra: dict[str, Any] | None = None,
    **fields: Any,
) -> Order:
    """The one way an order changes status: checked against the table, recorded in the
    timeline, published as its order.* event."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status_unknown and to in (S.PACKED, S.SHIPPED):
            raise Conflict(
                _("The marketplace shows this order in a status we do not know; it cannot be"
                  " packed or shipped until the platform says it awaits shipment."),
                code=OrderErrorCode.ORDER_STATUS_UNKNOWN,
            )  # fmt: skip
        if not can_move(locked.status, to, before_refund=locked.status_before_refund):
            raise Conflict(
                _("An order cannot go from %(src)s to %(dst)s.")
                % {"src": locked.status, "dst": to},
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": to},
            )
        source = locked.status
        locked.status = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        OrderEvent.objects.create(order=locked, from_status=source, to_status=to, by=by, note=note)
        publish(event_for(source, to), order_payload(locked, **(event_extra or {})))
    return locked


def order_stock_release(*, order: Order, by: User | None) -> None:
    """Give back what the order reserved (its shortfall was never taken), to where each
    line took it (a counter sale's from the shop's shelf)."""
    for line in order.lines.select_related("stock_location"):
        reserved = line.quantity - line.shortfall
        if reserved > 0 and line.stock_location is not None:
            location_stock_change(
                sku_id=line.sku_id,
                location=line.stock_location,
                delta=reserved,
                reason=StockEntry.Reason.RELEASE,
                by=by,
                ref=order.number,
            )
        elif reserved > 0:
            stock_change(
                sku_id=line.sku_id,
                delta=reserved,
                reason=StockEntry.Reason.RELEASE,
                by=by,
                ref=order.number,
            )


def order_cancel(*, order: Order, by: User | None, reason: str) -> Order:
    with transaction.atomic():
        moved = order_move(order=order, to=S.CANCELLED, by=by, note=reason)
        order_stock_release(order=moved, by=by)
    return moved


def order_pack(*, order: Order, by: User) -> Order:
    return order_move(order=order, to=S.PACKED, by=by)


def waybill_warnings(*, courier: Courier, waybill_no: str) -> list[str]:
    """Soft check: an unusual number is a warning to the merchant, never a refusal."""
    if courier.waybill_pattern and not re.fullmatch(courier.waybill_pattern, waybill_no):
        return [
            _("%(no)s does not look like a %(courier)s waybill number; please double-check.")
            % {"no": waybill_no, "courier": courier.name}
        ]
    return []


def order_ship(
    *, order: Order, by: User, courier_code: str, waybill_no: str
) -> tuple[Order, list[str]]:
    courier = Courier.objects.filter(code=courier_code, is_active=True).first()
    if courier is None:
        raise DomainError(
            _("Unknown courier."),
            code=OrderErrorCode.ORDER_COURIER_UNKNOWN,
            status=422,
            extra={"courier_code": courier_code},
        )
    warnings = waybill_warnings(courier=courier, waybill_no=waybill_no)
    moved = order_move(
        order=order,
        to=S.SHIPPED,
        by=by,
        courier=courier,
        waybill_no=waybill_no,
        shipped_at=timezone.now(),
        event_extra={"courier_code": courier.code, "waybill_no": waybill_no, "origin": "merchant"},
    )
    return moved, warnings


def order_deliver(*, order: Order, by: User | None) -> Order:
    return order_move(order=order, to=S.DELIVERED, by=by)


def order_complete(*, order: Order, by: User | None) -> Order:
    """The buyer confirms receipt: a shipped order is delivered and completed at once."""
    with transaction.atomic():
        if Order.objects.get(pk=order.pk).status == S.SHIPPED:
            order = order_deliver(order=order, by=by)
        return order_move(order=order, to=S.COMPLETED, by=by)


def orders_auto_confirm() -> int:
    """Beat: a shipped order nobody confirmed is taken as received after
    ORDER_AUTO_CONFIRM_DAYS (as the marketplaces do), unless a refund is open."""
    cutoff = timezone.now() - timedelta(days=settings.ORDER_AUTO_CONFIRM_DAYS)
    confirmed = 0
    for order in Order.objects.filter(status=S.SHIPPED, shipped_at__lt=cutoff):
        try:
            with transaction.atomic():
                order = order_deliver(order=order, by=None)
                order_move(order=order, to=S.COMPLETED, by=None, note="auto-confirmed")
            confirmed += 1
        except Conflict:
            continue  # moved meanwhile (a refund request, the buyer confirming)
    return confirmed


def order_refund_request(*, order: Order, by: User, reason: str) -> Order:
    """Where the order was is read under its row lock: a shipment landing meanwhile must be
    what the approval sees (else it would put back stock that already left)."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        return order_move(
            order=locked,
            to=S.REFUND_REQUESTED,
            by=by,
            note=reason,
            status_before_refund=locked.status,
            refund_reason=reason,
            refund_reject_reason="",
            event_extra={"reason": reason},
        )


def order_refund_reject(*, order: Order, by: User, reason: str) -> Order:
    """Back to where the order was (a move of the state machine, published as
    order.refund_rejected); the buyer sees the merchant's reason. An approved refund on its
    way to the provider cannot be rejected any more."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status != S.REFUND_REQUESTED:
            raise Conflict(
                _("There is no refund request to reject."),
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": locked.status_before_refund or "?"},
            )
        if Refund.objects.filter(order=locked, status=Refund.Status.PENDING).exists():
            raise Conflict(
                _("The refund was approved and is being paid back."),
                code=OrderErrorCode.ORDER_REFUND_PENDING,
            )
        return order_move(
            order=locked,
            to=locked.status_before_refund,
            by=by,
            note=reason,
            refund_reject_reason=reason,
            event_extra={"reason": reason},
        )
