"""Promotions endpoints: coupons of a session (console and room), claims, and the checkout
with live prices and coupons (used by the watch page and by the /shop/ cart)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from backend.accounts.auth import api_auth, request_user
from backend.accounts.models import User
from backend.common.errors import NotFound, Throttled
from backend.common.exceptions import error_response
from backend.common.permissions import require_authenticated
from backend.common.throttling import client_ip
from backend.live.access import Need, access_session
from backend.orders import services_payment
from backend.orders.schemas import CheckoutOut
from backend.orders.selectors import checkout_detail, checkout_placed_detail
from backend.orders.services_checkout import Consignee
from backend.promotions import (
    gate,
    selectors,
    services_checkout,
    services_coupons,
    services_flash,
    services_lottery,
)
from backend.promotions.errors import PromotionErrorCode
from backend.promotions.models import Coupon, FlashSale, Lottery
from backend.promotions.schemas import (
    CouponIn,
    CouponOut,
    FlashBuyIn,
    FlashIn,
    FlashOut,
    GrantOut,
    LotteryIn,
    LotteryOut,
    PrizeClaimIn,
    PromoCheckoutIn,
    ProofOut,
)

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


@router.post("/coupons/{coupon_id}/stop", response=CouponOut)
def coupon_stop(request: HttpRequest, coupon_id: int) -> Any:
    """Stop the claims now, from the console of one of the coupon's sessions."""
    coupon = Coupon.objects.filter(pk=coupon_id).first()
    session_id = coupon.sessions.values_list("pk", flat=True).first() if coupon else None
    if coupon is None or session_id is None:
        raise NotFound()
    access_session(user=request_user(request), session_id=session_id, need=Need.CONSOLE)
    return selectors.coupon_out(services_coupons.coupon_claims_stop(coupon=coupon))


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
    return _placed_out(request, placed, payload.return_url)


def _placed_out(request: HttpRequest, placed: Any, return_url: str) -> Status[Any]:
    url = request.build_absolute_uri(return_url or "/shop/orders/")
    payment = services_payment.payment_start_or_defer(
        checkout=placed.checkout, return_url=url, fresh=placed.created
    )
    if not placed.created:
        return Status(201, checkout_detail(checkout=placed.checkout))
    orders = [(p.order, p.lines, p.timeline) for p in placed.orders]
    return Status(
        201, checkout_placed_detail(checkout=placed.checkout, payment=payment, orders=orders)
    )


@router.post("/sessions/{session_id}/flash-sales", response={201: FlashOut})
def flash_create(request: HttpRequest, session_id: int, payload: FlashIn) -> Status[Any]:
    user = request_user(request)
    found = access_session(user=user, session_id=session_id, need=Need.CONSOLE)
    starts = timezone.now() + timedelta(seconds=payload.starts_in_seconds)
    terms = services_flash.FlashTerms(
        sku_id=payload.sku_id,
        price=payload.price,
        quantity=payload.quantity,
        per_buyer_cap=payload.per_buyer_cap,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=payload.minutes),
    )
    sale = services_flash.flash_create(by=user, session=found.session, terms=terms)
    return Status(201, selectors.flash_out(sale))


@router.post("/flash-sales/{sale_id}/end", response=FlashOut)
def flash_end(request: HttpRequest, sale_id: int) -> Any:
    """End the sale now, from its session's console."""
    sale = FlashSale.objects.filter(pk=sale_id).first()
    if sale is None:
        raise NotFound()
    access_session(user=request_user(request), session_id=sale.session_id, need=Need.CONSOLE)
    return selectors.flash_out(services_flash.flash_end(sale=sale))


@router.get("/sessions/{session_id}/flash-sales", response=list[FlashOut], auth=None)
def flash_sales_of_session(request: HttpRequest, session_id: int) -> Any:
    return selectors.session_flash_sales(session_id=session_id)


def _signed_in(request: HttpRequest) -> User:
    """The API's own authentication, run by hand (after the sold-out answer)."""
    found = next((u for u in (auth(request) for auth in api_auth) if u is not None), None)
    require_authenticated(found)
    assert isinstance(found, User)
    return found


FLASH_BUY_PATH = r"/api/v1/promotions/flash-sales/(?P<sale_id>[0-9]{1,18})/buy"


def flash_sold_out_answer(request: HttpRequest, sale_id: str) -> HttpResponse | None:
    """Declared as an early answer (declare.py): a buy on a sold-out sale is refused from
    the gate alone, before the middleware loads a session or the sign-in (no database)."""
    closed = gate.closed(sale_id=int(sale_id))
    if closed == "ended":
        message = _("This flash sale is not open.")
        return error_response(409, PromotionErrorCode.FLASH_NOT_OPEN, str(message))
    if closed:
        return error_response(409, PromotionErrorCode.FLASH_SOLD_OUT, str(_("Sold out.")))
    return None


@router.post("/flash-sales/{sale_id}/buy", response={201: CheckoutOut}, auth=None)
def flash_buy(request: HttpRequest, sale_id: int, payload: FlashBuyIn) -> Status[Any]:
    """A sold-out sale never gets here (flash_sold_out_answer). Rate-limited per account
    and per address, then the gate, then the order. Needs a signed-in buyer (token or
    session) like every other write."""
    user = _signed_in(request)
    allowed = gate.rate_allow(
        limits=[
            ("user", str(user.pk), settings.FLASH_RATE_PER_ACCOUNT),
            ("ip", client_ip(request) or "-", settings.FLASH_RATE_PER_ADDRESS),
        ]
    )
    if not allowed:
        raise Throttled(_("Too many tries; wait a few seconds."), retry_after=10,
                        code=PromotionErrorCode.FLASH_TOO_FAST)  # fmt: skip
    placed = services_flash.flash_buy(
        buyer=user,
        sale_id=sale_id,
        quantity=payload.quantity,
        consignee=Consignee(**payload.consignee.dict()),
        idempotency_key=payload.idempotency_key,
    )
    return _placed_out(request, placed, "")


@router.post("/sessions/{session_id}/lotteries", response={201: LotteryOut})
def lottery_create(request: HttpRequest, session_id: int, payload: LotteryIn) -> Status[Any]:
    user = request_user(request)
    found = access_session(user=user, session_id=session_id, need=Need.CONSOLE)
    coupon = None
    if payload.prize_coupon_id is not None:
        coupon = Coupon.objects.filter(pk=payload.prize_coupon_id, sessions=found.session).first()
        if coupon is None:
            raise NotFound()
    opens = timezone.now() + timedelta(seconds=payload.opens_in_seconds)
    closes = opens + timedelta(minutes=payload.minutes)
    terms = services_lottery.LotteryTerms(
        title=payload.title,
        entry_kind=payload.entry_kind,
        keyword=payload.keyword,
        rules=payload.rules,
        prize_value=payload.prize_value,
        winners_count=payload.winners_count,
        opens_at=opens,
        closes_at=closes,
        draw_at=closes,
        prize_coupon=coupon,
        prize_sku_id=payload.prize_sku_id,
    )
    lottery = services_lottery.lottery_create(by=user, session=found.session, terms=terms)
    return Status(201, selectors.lottery_out(lottery))


@router.get("/sessions/{session_id}/lotteries", response=list[LotteryOut], auth=None)
def lotteries_of_session(request: HttpRequest, session_id: int) -> Any:
    return selectors.session_lotteries(session_id=session_id)


@router.post("/lotteries/{lottery_id}/enter", response={201: dict})
def lottery_enter(request: HttpRequest, lottery_id: int) -> Status[Any]:
    entry = services_lottery.lottery_enter(user=request_user(request), lottery_id=lottery_id)
    return Status(201, {"entry": entry.pk})


@router.get("/lotteries/{lottery_id}/proof", response=ProofOut, auth=None)
def lottery_proof(request: HttpRequest, lottery_id: int) -> Any:
    lottery = Lottery.objects.filter(pk=lottery_id).first()
    if lottery is None:
        raise NotFound()
    return selectors.lottery_proof(lottery=lottery)


@router.post("/lotteries/{lottery_id}/prize", response={201: dict})
def prize_claim(request: HttpRequest, lottery_id: int, payload: PrizeClaimIn) -> Status[Any]:
    prize = services_lottery.product_prize_claim(
        user=request_user(request),
        lottery_id=lottery_id,
        consignee=Consignee(**payload.consignee.dict()),
    )
    return Status(201, {"checkout_id": prize.checkout_id})
