from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from backend.accounts.selectors import mask_phone
from backend.orders.models import Checkout, Order, OrderEvent, Payment
from backend.orders.schemas import CheckoutOut, LineOut, OrderOut, TimelineOut


def _orders_full(rows: QuerySet[Order]) -> QuerySet[Order]:
    return rows.select_related(
        "seller", "checkout", "courier", "township", "village"
    ).prefetch_related("lines", Prefetch("timeline", queryset=OrderEvent.objects.order_by("id")))


def order_out(order: Order, *, mask: bool = False) -> OrderOut:
    phone = mask_phone(order.consignee_phone) if mask else order.consignee_phone
    return OrderOut(
        id=order.pk,
        number=order.number,
        checkout_id=order.checkout_id,
        checkout_number=order.checkout.number,
        seller_id=order.seller_id,
        seller_name=order.seller.name,
        source_kind=order.source_kind,
        source_ref=order.source_ref,
        status=order.status,
        consignee_name=order.consignee_name,
        consignee_phone=phone or "",
        address=order.address,
        township_name=order.township.name if order.township else None,
        village_name=order.village.name if order.village else None,
        goods_amount=order.goods_amount,
        discount_amount=order.discount_amount,
        shipping_amount=order.shipping_amount,
        paid_amount=order.paid_amount,
        remark=order.remark,
        stock_shortfall=order.stock_shortfall,
        courier_code=order.courier.code if order.courier else None,
        courier_name=order.courier.name if order.courier else None,
        waybill_no=order.waybill_no,
        refund_reason=order.refund_reason,
        refund_reject_reason=order.refund_reject_reason,
        expires_at=order.expires_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        created_at=order.created_at,
        lines=[LineOut.model_validate(line) for line in order.lines.all()],
        timeline=[TimelineOut.model_validate(e) for e in order.timeline.all()],
    )


def order_detail(*, order_id: int) -> OrderOut:
    return order_out(_orders_full(Order.objects.all()).get(pk=order_id))


def checkout_detail(*, checkout: Checkout) -> CheckoutOut:
    payment = Payment.objects.filter(checkout=checkout).first()
    orders = _orders_full(checkout.orders.all()).order_by("id")
    return CheckoutOut(
        id=checkout.pk,
        number=checkout.number,
        total_amount=checkout.total_amount,
        pay_url=payment.pay_url if payment else None,
        payment_status=payment.status if payment else None,
        orders=[order_out(o) for o in orders],
    )


def orders_filtered(
    *,
    base: QuerySet[Order],
    status: str | None = None,
    source_kind: str | None = None,
    township_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str | None = None,
) -> QuerySet[Order]:
    rows = base
    if status:
        rows = rows.filter(status=status)
    if source_kind:
        rows = rows.filter(source_kind=source_kind)
    if township_id:
        rows = rows.filter(township_id=township_id)
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        rows = rows.filter(created_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    if q:
        rows = rows.filter(number__icontains=q) | rows.filter(consignee_name__icontains=q)
    return (
        rows.select_related("seller", "township")
        .annotate(item_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def order_list_item(order: Any) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "seller_name": order.seller.name,
        "source_kind": order.source_kind,
        "status": order.status,
        "consignee_name": order.consignee_name,
        "consignee_phone": mask_phone(order.consignee_phone) or "",
        "township_name": order.township.name if order.township else None,
        "paid_amount": order.paid_amount,
        "item_count": order.item_count,
        "waybill_no": order.waybill_no,
        "created_at": order.created_at,
    }
