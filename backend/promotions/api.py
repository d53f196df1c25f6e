"""Promotions endpoints: coupons of a session (console and room), claims, and the checkout
with live prices and coupons (used by the watch page and by the /shop/ cart)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.live.access import Need, access_session
from backend.orders import services_payment
from backend.orders.schemas import CheckoutOut
from backend.orders.selectors import checkout_detail, checkout_placed_detail
from backend.orders.services_checkout import Consignee
from backend.promotions import selectors, services_checkout, services_coupons
from backend.promotions.schemas import CouponIn, CouponOut, GrantOut, PromoCheckoutIn

router = Router(tags=["promotions"])


@router.post("/sessions/{session_id}/coupons", response={201: CouponOut})
def coupon_create(request: HttpRequest, session_id: int, payload: CouponIn) -> Status[Any]:
    found = access_session(user=request_user(request), session_id=session_id, need=Need.CONSOLE)
    now = timezone.now()
    terms = services_coupons.CouponTerms(
        name=payload.name,
        kind=payload.kind,
        amount_off=payload.amount_off,
        percent_off=payload.percent_off,
        threshold=payload.threshold,
        total_quantity=payload.total_quantity,
        per_user_limit=payload.per_user_limit,
        claim_starts_at=now,
        claim_ends_at=now + timedelta(minutes=payload.claim_minutes),
        valid_until=now + timedelta(days=payload.valid_days),
        stackable=payload.stackable,
    )
    coupon = services_coupons.coupon_create(
        by=request_user(request),
        terms=terms,
        sessions=[found.session],
        product_ids=payload.product_ids,
    )
    return Status(201, selectors.coupon_out(coupon))


@router.get("/sessions/{session_id}/coupons", response=list[CouponOut], auth=None)
def coupons_of_session(request: HttpRequest, session_id: int) -> Any:
    return selectors.session_coupons(session_id=session_id)


@router.post("/coupons/{coupon_id}/claim", response={201: GrantOut})
def coupon_claim(request: HttpRequest, coupon_id: int) -> Status[Any]:
    grant = services_coupons.coupon_claim(user=request_user(request), coupon_id=coupon_id)
    return Status(201, selectors.grants_of_one(grant))


@router.get("/my-coupons", response=list[GrantOut])
def my_coupons(request: HttpRequest) -> Any:
    return selectors.grants_of(user=request_user(request))


@router.post("/checkouts", response={201: CheckoutOut})
def promo_checkout(request: HttpRequest, payload: PromoCheckoutIn) -> Status[Any]:
    basket = services_checkout.Basket(
        items=[(item.sku_id, item.quantity) for item in payload.items],
        consignee=Consignee(**payload.consignee.dict()),
        remark=payload.remark,
        session_id=payload.session_id,
    )
    placed = services_checkout.promo_checkout(
        buyer=request_user(request),
        idempotency_key=payload.idempotency_key,
        basket=basket,
        grant_ids=payload.grant_ids,
    )
    return_url = request.build_absolute_uri(payload.return_url or "/shop/orders/")
    payment = services_payment.payment_start_or_defer(
        checkout=placed.checkout, return_url=return_url, fresh=placed.created
    )
    if not placed.created:
        return Status(201, checkout_detail(checkout=placed.checkout))
    orders = [(p.order, p.lines, p.timeline) for p in placed.orders]
    detail = checkout_placed_detail(checkout=placed.checkout, payment=payment, orders=orders)
    return Status(201, detail)
