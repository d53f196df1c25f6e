from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from backend.accounts.selectors import mask_phone
from backend.catalog.selectors_shop import thumbnail_file, thumbnail_url
from backend.orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    Refund,
    SourceKind,
)
from backend.orders.schemas import CheckoutOut, LineOut, OrderOut, RefundOut, TimelineOut


def _orders_full(rows: QuerySet[Order]) -> QuerySet[Order]:
    return rows.select_related(
        "seller", "checkout", "courier", "township", "village"
    ).prefetch_related(
        "lines",
        Prefetch("timeline", queryset=OrderEvent.objects.order_by("id")),
        Prefetch("refunds", queryset=Refund.objects.order_by("id")),
    )


def refund_state(order: Order) -> str:
    """none | partial | full: how much of the payment went back."""
    if order.refunded_amount <= 0:
        return "none"
    return "full" if order.refunded_amount >= order.paid_amount else "partial"


def unpaid_quantities(*, buyer_id: int) -> dict[int, int]:
    """What the buyer holds in unpaid orders, by SKU id."""
    rows = (
        OrderLine.objects.filter(order__buyer_id=buyer_id, order__status=OrderStatus.CREATED)
        .values("sku_id")
        .annotate(held=Sum("quantity"))
        .order_by()
    )
    return {row["sku_id"]: int(row["held"]) for row in rows}


def checkout_basket(*, checkout: Checkout) -> dict[int, int]:
    """The quantities the checkout was placed for, by SKU id."""
    rows = OrderLine.objects.filter(order__checkout=checkout).values_list("sku_id", "quantity")
    basket: dict[int, int] = {}
    for sku_id, quantity in rows:
        basket[sku_id] = basket.get(sku_id, 0) + quantity
    return basket


def order_out(
    order: Order,
    *,
    mask: bool = False,
    lines: list[OrderLine] | None = None,
    timeline: list[OrderEvent] | None = None,
    fresh: bool = False,
) -> OrderOut:
    """The order as the API shows it; `lines` and `timeline` given when they are already in
    hand (a checkout that just wrote them), read from the prefetch otherwise. A `fresh`
    order (just written) has no refund: no query asks."""
    phone = mask_phone(order.consignee_phone) if mask else order.consignee_phone
    lines = list(order.lines.all()) if lines is None else lines
    timeline = list(order.timeline.all()) if timeline is None else timeline
    refunds = [] if fresh else list(order.refunds.all())
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
        status_unknown=order.status_unknown,
        refunded_amount=order.refunded_amount,
        courier_code=order.courier.code if order.courier else None,
        courier_name=order.courier.name if order.courier else None,
        waybill_no=order.waybill_no,
        refund_reason=order.refund_reason,
        refund_reject_reason=order.refund_reject_reason,
        refund_status=str(refunds[-1].status) if refunds else None,
        refund_state=refund_state(order),
        refunds=[RefundOut.model_validate(r) for r in refunds],
        expires_at=order.expires_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        created_at=order.created_at,
        lines=[LineOut.model_validate(line) for line in lines],
        timeline=[TimelineOut.model_validate(e) for e in timeline],
    )


def order_detail(*, order_id: int) -> OrderOut:
    return order_out(_orders_full(Order.objects.all()).get(pk=order_id))


def checkout_placed_detail(
    *,
    checkout: Checkout,
    payment: Payment | None,
    orders: Sequence[tuple[Order, list[OrderLine], list[OrderEvent]]],
) -> CheckoutOut:
    """The answer to a checkout just written, from the rows in hand: no re-read."""
    shown = [order_out(o, lines=lines, timeline=events, fresh=True) for o, lines, events in orders]
    return _checkout_out(checkout, payment, shown)


def checkout_detail(*, checkout: Checkout) -> CheckoutOut:
    payment = Payment.objects.filter(checkout=checkout).first()
    orders = _orders_full(checkout.orders.all()).order_by("id")
    return _checkout_out(checkout, payment, [order_out(o) for o in orders])


def _checkout_out(
    checkout: Checkout, payment: Payment | None, orders: list[OrderOut]
) -> CheckoutOut:
    return CheckoutOut(
        id=checkout.pk,
        number=checkout.number,
        total_amount=checkout.total_amount,
        pay_url=payment.pay_url if payment else None,
        payment_status=payment.status if payment else None,
        orders=orders,
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
    platform: str | None = None,
    store_id: int | None = None,
) -> QuerySet[Order]:
    rows = base
    if platform:
        rows = rows.filter(source_kind=SourceKind.STORE, source_ref__startswith=f"{platform}:")
    if store_id:
        rows = rows.filter(external_store_id=store_id)
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
    first_line = OrderLine.objects.filter(order=OuterRef("pk")).order_by("id")
    return (
        rows.select_related("seller", "township", "checkout")
        .annotate(
            item_count=Count("lines"),
            first_title=Subquery(first_line.values("title")[:1]),
            first_product_id=Subquery(first_line.values("product_id")[:1]),
        )
        .annotate(thumbnail=thumbnail_file(OuterRef("first_product_id")))
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
        "first_title": order.first_title or "",
        "thumbnail_url": thumbnail_url(order.thumbnail),
        "checkout_number": order.checkout.number,
        "waybill_no": order.waybill_no,
        "expires_at": order.expires_at,
        "created_at": order.created_at,
        **_marketplace(order),
    }


def _marketplace(order: Any) -> dict[str, Any]:
    """An imported order's source_ref is "platform:store id:remote order id"; its key is
    (external_store_id, external_id)."""
    if order.source_kind != SourceKind.STORE:
        return {"platform": "", "remote_id": "", "status_unknown": order.status_unknown}
    platform = order.source_ref.split(":", 1)[0]
    return {
        "platform": platform,
        "remote_id": order.external_id or "",
        "status_unknown": order.status_unknown,
    }
