"""Order endpoints: buyers (/orders/...), sellers (/orders/seller/...), the payment notify."""

import json
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from backend.accounts.auth import request_user
from backend.common.errors import DomainError
from backend.common.pagination import LimitOffset, ShapedPage
from backend.orders import services, services_checkout, services_payment, services_refund
from backend.orders.access import (
    access_checkout,
    access_order_as_buyer,
    access_order_as_seller,
    orders_of_buyer,
    orders_of_seller,
)
from backend.orders.errors import OrderErrorCode
from backend.orders.exports import export_filename, orders_xlsx, packing_list_html
from backend.orders.models import Courier
from backend.orders.schemas import (
    CheckoutIn,
    CheckoutOut,
    CourierOut,
    OrderListItem,
    OrderOut,
    ReasonIn,
    RefundApproveIn,
    ShipIn,
    ShipOut,
)
from backend.orders.selectors import (
    checkout_detail,
    checkout_placed_detail,
    order_detail,
    order_list_item,
    orders_filtered,
)

router = Router(tags=["orders"])
notify_router = Router(tags=["payments"])


class OrderFilters(Schema):
    status: str | None = None
    source_kind: str | None = None
    township_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    platform: Literal["taobao", "pinduoduo", "jd"] | None = None
    store_id: int | None = Field(None, ge=1)


# Buyers ---------------------------------------------------------------------------------


@router.post("/checkouts", response={201: CheckoutOut})
def checkout_create(request: HttpRequest, payload: CheckoutIn) -> Status[Any]:
    user = request_user(request)
    placed = services_checkout.checkout_place(
        buyer=user,
        idempotency_key=payload.idempotency_key,
        items=[(item.sku_id, item.quantity) for item in payload.items],
        consignee=services_checkout.Consignee(**payload.consignee.dict()),
        remark=payload.remark,
    )
    checkout = placed.checkout
    return_url = request.build_absolute_uri(payload.return_url or "/shop/orders/")
    payment = services_payment.payment_start_or_defer(
        checkout=checkout, return_url=return_url, fresh=placed.created
    )
    if not placed.created:
        return Status(201, checkout_detail(checkout=checkout))
    orders = [(p.order, p.lines, p.timeline) for p in placed.orders]
    return Status(201, checkout_placed_detail(checkout=checkout, payment=payment, orders=orders))


@router.post("/checkouts/{checkout_id}/pay", response=CheckoutOut)
def checkout_pay(request: HttpRequest, checkout_id: int) -> Any:
    checkout = access_checkout(user=request_user(request), checkout_id=checkout_id)
    services_payment.payment_start(
        checkout=checkout, return_url=request.build_absolute_uri("/shop/orders/")
    )
    return checkout_detail(checkout=checkout)


@router.get("/mine", response=list[OrderListItem])
@paginate(LimitOffset)
def my_orders(request: HttpRequest) -> Any:
    return ShapedPage(
        orders_filtered(base=orders_of_buyer(user=request_user(request))), order_list_item
    )


@router.get("/mine/{order_id}", response=OrderOut)
def my_order(request: HttpRequest, order_id: int) -> Any:
    order = access_order_as_buyer(user=request_user(request), order_id=order_id)
    return order_detail(order_id=order.pk)


@router.post("/mine/{order_id}/cancel", response=OrderOut)
def my_order_cancel(request: HttpRequest, order_id: int) -> Any:
    user = request_user(request)
    order = access_order_as_buyer(user=user, order_id=order_id)
    services.order_cancel(order=order, by=user, reason="buyer cancelled")
    return order_detail(order_id=order.pk)


@router.post("/mine/{order_id}/refund-request", response=OrderOut)
def my_order_refund_request(request: HttpRequest, order_id: int, payload: ReasonIn) -> Any:
    user = request_user(request)
    order = access_order_as_buyer(user=user, order_id=order_id)
    services.order_refund_request(order=order, by=user, reason=payload.reason)
    return order_detail(order_id=order.pk)


@router.post("/mine/{order_id}/confirm-receipt", response=OrderOut)
def my_order_confirm(request: HttpRequest, order_id: int) -> Any:
    user = request_user(request)
    order = access_order_as_buyer(user=user, order_id=order_id)
    services.order_complete(order=order, by=user)
    return order_detail(order_id=order.pk)


# Sellers --------------------------------------------------------------------------------


@router.get("/seller", response=list[OrderListItem])
@paginate(LimitOffset)
def seller_orders(request: HttpRequest, filters: Query[OrderFilters]) -> Any:
    return ShapedPage(
        orders_filtered(base=orders_of_seller(user=request_user(request)), **filters.dict()),
        order_list_item,
    )


@router.get("/seller/export.xlsx")
def seller_orders_export(request: HttpRequest, filters: Query[OrderFilters]) -> HttpResponse:
    rows = orders_filtered(base=orders_of_seller(user=request_user(request)), **filters.dict())
    response = HttpResponse(
        orders_xlsx(orders=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = export_filename(date_from=filters.date_from, date_to=filters.date_to)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/seller/{order_id}", response=OrderOut)
def seller_order(request: HttpRequest, order_id: int) -> Any:
    order = access_order_as_seller(user=request_user(request), order_id=order_id)
    return order_detail(order_id=order.pk)


@router.get("/seller/{order_id}/packing-list")
def seller_packing_list(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order_as_seller(user=request_user(request), order_id=order_id)
    return HttpResponse(packing_list_html(order=order), content_type="text/html; charset=utf-8")


@router.post("/seller/{order_id}/pack", response=OrderOut)
def seller_pack(request: HttpRequest, order_id: int) -> Any:
    user = request_user(request)
    order = access_order_as_seller(user=user, order_id=order_id, for_write=True)
    services.order_pack(order=order, by=user)
    return order_detail(order_id=order.pk)


@router.post("/seller/{order_id}/ship", response=ShipOut)
def seller_ship(request: HttpRequest, order_id: int, payload: ShipIn) -> Any:
    user = request_user(request)
    order = access_order_as_seller(user=user, order_id=order_id, for_write=True)
    _moved, warnings = services.order_ship(
        order=order, by=user, courier_code=payload.courier_code, waybill_no=payload.waybill_no
    )
    return ShipOut(order=order_detail(order_id=order.pk), warnings=warnings)


@router.post("/seller/{order_id}/deliver", response=OrderOut)
def seller_deliver(request: HttpRequest, order_id: int) -> Any:
    user = request_user(request)
    order = access_order_as_seller(user=user, order_id=order_id, for_write=True)
    services.order_deliver(order=order, by=user)
    return order_detail(order_id=order.pk)


@router.post("/seller/{order_id}/refund/approve", response=OrderOut)
def seller_refund_approve(
    request: HttpRequest, order_id: int, payload: RefundApproveIn | None = None
) -> Any:
    user = request_user(request)
    order = access_order_as_seller(user=user, order_id=order_id, for_write=True)
    amount = payload.amount if payload is not None else None
    services_refund.order_refund_approve(order=order, by=user, amount=amount)
    return order_detail(order_id=order.pk)


@router.post("/seller/{order_id}/refund/reject", response=OrderOut)
def seller_refund_reject(request: HttpRequest, order_id: int, payload: ReasonIn) -> Any:
    user = request_user(request)
    order = access_order_as_seller(user=user, order_id=order_id, for_write=True)
    services.order_refund_reject(order=order, by=user, reason=payload.reason)
    return order_detail(order_id=order.pk)


@router.get("/couriers", response=list[CourierOut])
def couriers_list(request: HttpRequest) -> Any:
    request_user(request)
    return Courier.objects.filter(is_active=True)


# The provider's notify: no session, no token; the signature is the authentication.
@notify_router.post("/notify", auth=None)
def payment_notify(request: HttpRequest) -> HttpResponse:
    try:
        body = json.loads(request.body or b"null")
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise DomainError("Invalid notice.", code=OrderErrorCode.PAYMENT_NOTICE_INVALID)
    services_payment.payment_notice_receive(body=body)
    return HttpResponse("success", content_type="text/plain")
