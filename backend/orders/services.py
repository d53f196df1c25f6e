"""Every write to orders: checkout, the state machine, merchant handling, expiry."""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku, StockEntry
from backend.catalog.services_stock import stock_change
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish
from backend.common.money import money_str
from backend.geo.resolver import address_resolve
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import order_lock
from backend.orders.models import Checkout, Courier, Order, OrderEvent, OrderLine, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.state import EVENT_FOR, can_move


@dataclass(frozen=True)
class Consignee:
    name: str
    phone: str
    address: str


def new_number(prefix: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return f"{prefix}{stamp}{secrets.token_hex(3).upper()}"


def order_payload(order: Order, **extra: Any) -> dict[str, Any]:
    return {
        "order_id": order.pk,
        "order_number": order.number,
        "checkout_id": order.checkout.number,
        "seller_org_id": order.seller_id,
        "buyer_id": order.buyer_id,
        "source_kind": order.source_kind,
        "source_ref": order.source_ref,
        "status": order.status,
        "amount_paid": money_str(order.paid_amount),
        "township_id": order.township_id,
        "at": timezone.localtime().isoformat(),
        **extra,
    }


def _unavailable(sku_ids: list[int]) -> DomainError:
    return DomainError(
        _("Some items are no longer on sale."),
        code=OrderErrorCode.ORDER_SKU_UNAVAILABLE,
        status=422,
        extra={"sku_ids": sorted(sku_ids)},
    )


def checkout_place(
    *,
    buyer: User,
    idempotency_key: str,
    items: list[tuple[int, int]],
    consignee: Consignee,
    remark: str = "",
    source_kind: str = SourceKind.DIRECT,
    source_ref: str = "",
) -> Checkout:
    """One order per seller under one checkout, stock reserved by conditional updates.
    The same (buyer, key) again returns the first checkout: a retried "buy" buys once."""
    existing = Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    wanted: dict[int, int] = defaultdict(int)
    for sku_id, quantity in items:
        wanted[sku_id] += quantity
    try:
        with transaction.atomic():
            return _checkout_create(
                buyer=buyer,
                key=idempotency_key,
                wanted=dict(wanted),
                consignee=consignee,
                remark=remark,
                source_kind=source_kind,
                source_ref=source_ref,
            )
    except IntegrityError:
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


def _checkout_create(
    *,
    buyer: User,
    key: str,
    wanted: dict[int, int],
    consignee: Consignee,
    remark: str,
    source_kind: str,
    source_ref: str,
) -> Checkout:
    skus = {s.pk: s for s in Sku.objects.select_related("product").filter(pk__in=wanted)}
    bad = [
        sku_id
        for sku_id in wanted
        if sku_id not in skus
        or not skus[sku_id].is_active
        or skus[sku_id].product.status != ProductStatus.ON_SALE
    ]
    if bad:
        raise _unavailable(bad)
    place = address_resolve(text=consignee.address)
    checkout = Checkout.objects.create(
        number=new_number("CK"), buyer=buyer, idempotency_key=key, total_amount=Decimal("0")
    )
    by_seller: dict[int, list[Sku]] = defaultdict(list)
    for sku in skus.values():
        by_seller[sku.seller_id].append(sku)
    total = Decimal("0")
    expires = timezone.now() + timedelta(minutes=settings.ORDER_UNPAID_EXPIRE_MINUTES)
    for seller_id in sorted(by_seller):
        lines = sorted(by_seller[seller_id], key=lambda s: s.pk)  # one lock order: no deadlock
        goods = sum((s.price * wanted[s.pk] for s in lines), Decimal("0"))
        order = Order.objects.create(
            number=new_number("QS"),
            checkout=checkout,
            seller_id=seller_id,
            buyer=buyer,
            source_kind=source_kind,
            source_ref=source_ref,
            status=S.CREATED,
            consignee_name=consignee.name,
            consignee_phone=consignee.phone,
            address=consignee.address,
            township=place.township,
            village=place.village,
            goods_amount=goods,
            paid_amount=goods,
            remark=remark,
            expires_at=expires,
        )
        for sku in lines:
            OrderLine.objects.create(
                order=order,
                sku=sku,
                product_id=sku.product_id,
                title=sku.product.title,
                spec_text=sku.spec_text,
                outer_id=sku.outer_id,
                unit_price=sku.price,
                quantity=wanted[sku.pk],
                line_amount=sku.price * wanted[sku.pk],
            )
            stock_change(
                sku_id=sku.pk,
                delta=-wanted[sku.pk],
                reason=StockEntry.Reason.RESERVATION,
                by=buyer,
                ref=order.number,
            )
        OrderEvent.objects.create(order=order, from_status="", to_status=S.CREATED, by=buyer)
        publish("order.created", order_payload(order))
        total += goods
    checkout.total_amount = total
    checkout.save(update_fields=["total_amount"])
    return checkout


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
        if not can_move(locked.status, to):
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
        publish(EVENT_FOR[to], order_payload(locked, **(event_extra or {})))
    return locked


def order_stock_release(*, order: Order, by: User | None) -> None:
    """Give back what the order reserved (its shortfall was never taken)."""
    for line in order.lines.all():
        reserved = line.quantity - line.shortfall
        if reserved > 0:
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
        event_extra={"courier_code": courier.code, "waybill_no": waybill_no},
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
    current = Order.objects.get(pk=order.pk).status
    return order_move(
        order=order,
        to=S.REFUND_REQUESTED,
        by=by,
        note=reason,
        status_before_refund=current,
        refund_reason=reason,
        refund_reject_reason="",
        event_extra={"reason": reason},
    )


def order_refund_reject(*, order: Order, by: User, reason: str) -> Order:
    """Back to where the order was; the buyer sees the merchant's reason."""
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        if locked.status != S.REFUND_REQUESTED:
            raise Conflict(
                _("There is no refund request to reject."),
                code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
                extra={"from": locked.status, "to": locked.status_before_refund or "?"},
            )
        back = locked.status_before_refund
        locked.status, locked.refund_reject_reason = back, reason
        locked.save(update_fields=["status", "refund_reject_reason", "updated_at"])
        OrderEvent.objects.create(
            order=locked, from_status=S.REFUND_REQUESTED, to_status=back, by=by, note=reason
        )
    return locked
