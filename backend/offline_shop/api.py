"""The counter's API (/api/v1/shop-counter/…): thin, every row through access.py."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.accounts.models import Organisation
from backend.catalog.services_locations import stock_consign, stock_unconsign
from backend.common.errors import DomainError, NotFound
from backend.common.money import money_str
from backend.offline_shop import selectors, services_returns, services_sale, services_shifts
from backend.offline_shop.access import (
    Need,
    access_consignment,
    access_receipt,
    access_shift,
    access_shop,
    shops_for,
)
from backend.offline_shop.errors import ShopErrorCode as E
from backend.offline_shop.models import QrPayment, Settlement, Shift
from backend.offline_shop.schemas import (
    BasketIn,
    MoveIn,
    QrIn,
    ReturnIn,
    SaleIn,
    SettlementIn,
    ShiftCloseIn,
    ShiftOpenIn,
)
from backend.offline_shop.services_settlement import settlement_record
from backend.offline_shop.statement import settlement_xlsx

router = Router(tags=["offline-shop"])


def _items(basket: BasketIn) -> list[tuple[int, int]]:
    return [(i.sku_id, i.quantity) for i in basket.items]


@router.get("/shops")
def shops(request: HttpRequest) -> Any:
    found = shops_for(user=request_user(request), need=Need.COUNTER)
    return [{"id": s.pk, "name": s.name, "address": s.address} for s in found]


@router.get("/shops/{shop_id}/shelf")
def shelf(request: HttpRequest, shop_id: int, code: str = "") -> Any:
    shop = access_shop(user=request_user(request), shop_id=shop_id, need=Need.COUNTER)
    items = selectors.shelf_items(shop=shop, code=code.strip())
    if code and not items:
        raise DomainError(
            _("Not on this shop's shelf."),
            code=E.NOT_ON_SHELF,
            status=422,
            extra={"code": code},
        )
    return items


@router.post("/shops/{shop_id}/quote")
def quote(request: HttpRequest, shop_id: int, payload: BasketIn) -> Any:
    shop = access_shop(user=request_user(request), shop_id=shop_id, need=Need.COUNTER)
    q = services_sale.basket_quote(shop=shop, items=_items(payload))
    goods = sum((p.goods for p in q.priced.sellers.values()), Decimal("0"))
    return {
        "goods_amount": money_str(goods),
        "discount_amount": money_str(goods - q.priced.total),
        "total_amount": money_str(q.priced.total),
        "rule": q.rule_name,
    }


@router.post("/shops/{shop_id}/sales", response={200: dict, 201: dict})
def sell(request: HttpRequest, shop_id: int, payload: SaleIn) -> Status[Any]:
    user = request_user(request)
    shop = access_shop(user=user, shop_id=shop_id, need=Need.COUNTER)
    receipt, created = services_sale.counter_sell(
        shop=shop, cashier=user, items=_items(payload), kind=payload.payment_kind,
        key=payload.idempotency_key,
    )  # fmt: skip
    return Status(201 if created else 200, selectors.receipt_detail(receipt=receipt))


def _qr_out(qr: QrPayment) -> dict[str, Any]:
    return {
        "id": qr.pk,
        "number": qr.number,
        "status": qr.status,
        "amount": money_str(qr.amount),
        "pay_url": qr.pay_url,
        "receipt": qr.receipt.number if qr.receipt_id else None,  # type: ignore[union-attr]
        "error": qr.error,
    }


@router.post("/shops/{shop_id}/qr", response={201: dict})
def qr_start(request: HttpRequest, shop_id: int, payload: QrIn) -> Status[Any]:
    user = request_user(request)
    shop = access_shop(user=user, shop_id=shop_id, need=Need.COUNTER)
    qr = services_sale.qr_start(
        shop=shop, cashier=user, items=_items(payload), key=payload.idempotency_key
    )
    return Status(201, _qr_out(qr))


def _qr_of(request: HttpRequest, qr_id: int) -> QrPayment:
    qr = QrPayment.objects.filter(pk=qr_id).select_related("receipt").first()
    if qr is None:
        raise NotFound()
    access_shop(user=request_user(request), shop_id=qr.shop_id, need=Need.COUNTER)
    return qr


@router.get("/qr/{qr_id}")
def qr_status(request: HttpRequest, qr_id: int) -> Any:
    return _qr_out(_qr_of(request, qr_id))


@router.post("/qr/{qr_id}/cancel")
def qr_cancel(request: HttpRequest, qr_id: int) -> Any:
    return _qr_out(services_sale.qr_cancel(qr=_qr_of(request, qr_id)))


# The provider's notify for a QR payment: the signature is the authentication.
@router.post("/qr-notify", auth=None)
def qr_notify(request: HttpRequest) -> HttpResponse:
    try:
        body = json.loads(request.body or b"null")
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise DomainError("Invalid notice.", code=E.QR_NOT_PAID)
    services_sale.qr_notice_receive(body=body)
    return HttpResponse("success", content_type="text/plain")


@router.get("/receipts/{number}")
def receipt(request: HttpRequest, number: str) -> Any:
    return selectors.receipt_detail(
        receipt=access_receipt(user=request_user(request), number=number)
    )


@router.post("/receipts/{number}/returns", response={201: dict})
def receipt_return(request: HttpRequest, number: str, payload: ReturnIn) -> Status[Any]:
    user = request_user(request)
    found = access_receipt(user=user, number=number)
    quantities: dict[int, int] = {}
    for line in payload.lines:
        quantities[line.line_id] = quantities.get(line.line_id, 0) + line.quantity
    made = services_returns.counter_return(
        receipt=found, by=user, quantities=quantities, reason=payload.reason
    )
    return Status(
        201,
        {"return_id": made.pk, "amount": money_str(made.amount),
         "receipt": selectors.receipt_detail(receipt=found)},
    )  # fmt: skip


def _shift_out(shift: Shift) -> dict[str, Any]:
    expected = services_shifts.shift_expected(shift=shift)
    return {
        "id": shift.pk,
        "status": shift.status,
        "opened_at": shift.opened_at.isoformat(),
        "opening_cash": money_str(shift.opening_cash),
        "expected": {k: money_str(v) for k, v in expected.items()},
    }


@router.get("/shops/{shop_id}/shift")
def shift_current(request: HttpRequest, shop_id: int) -> Any:
    user = request_user(request)
    shop = access_shop(user=user, shop_id=shop_id, need=Need.COUNTER)
    return _shift_out(services_sale.shift_current(shop=shop, cashier=user))


@router.post("/shops/{shop_id}/shifts", response={201: dict})
def shift_open(request: HttpRequest, shop_id: int, payload: ShiftOpenIn) -> Status[Any]:
    user = request_user(request)
    shop = access_shop(user=user, shop_id=shop_id, need=Need.COUNTER)
    made = services_shifts.shift_open(shop=shop, cashier=user, opening_cash=payload.opening_cash)
    return Status(201, _shift_out(made))


@router.post("/shifts/{shift_id}/close", response={201: dict})
def shift_close(request: HttpRequest, shift_id: int, payload: ShiftCloseIn) -> Status[Any]:
    user = request_user(request)
    shift = access_shift(user=user, shift_id=shift_id)
    made = services_shifts.shift_close(
        shift=shift, by=user, counted=payload.counted.dict(), reason=payload.reason
    )
    return Status(
        201,
        {"shift_id": shift.pk, "takings": made.takings, "difference": money_str(made.difference),
         "reason": made.reason},
    )  # fmt: skip


def _moved(entries: list[Any]) -> list[dict[str, Any]]:
    return [
        {"sku_id": e.sku_id, "location": "merchant" if e.location_id is None else "shelf",
         "delta": e.delta, "stock_after": e.stock_after, "reason": e.reason}
        for e in entries
    ]  # fmt: skip


@router.post("/shops/{shop_id}/consign", response={201: list[dict[str, Any]]})
def consign(request: HttpRequest, shop_id: int, payload: MoveIn) -> Status[Any]:
    user = request_user(request)
    shop, sku = access_consignment(user=user, shop_id=shop_id, sku_id=payload.sku_id)
    entries = stock_consign(
        sku_id=sku.pk, location=shop.shelf, quantity=payload.quantity, by=user,
        note=payload.note,
    )  # fmt: skip
    return Status(201, _moved(entries))


@router.post("/shops/{shop_id}/unconsign", response={201: list[dict[str, Any]]})
def unconsign(request: HttpRequest, shop_id: int, payload: MoveIn) -> Status[Any]:
    user = request_user(request)
    shop, sku = access_consignment(user=user, shop_id=shop_id, sku_id=payload.sku_id)
    entries = stock_unconsign(
        sku_id=sku.pk, location=shop.shelf, quantity=payload.quantity, by=user,
        note=payload.note,
    )  # fmt: skip
    return Status(201, _moved(entries))


def _settlement_out(s: Settlement) -> dict[str, Any]:
    return {
        "id": s.pk,
        "seller_id": s.seller_id,
        "seller": s.seller.name,
        "period_start": str(s.period_start),
        "period_end": str(s.period_end),
        "units_consigned": s.units_consigned,
        "units_unconsigned": s.units_unconsigned,
        "units_sold": s.units_sold,
        "units_returned": s.units_returned,
        "sales_amount": money_str(s.sales_amount),
        "refunds_amount": money_str(s.refunds_amount),
        "commission_rate": str(s.commission_rate),
        "commission_amount": money_str(s.commission_amount),
        "owed_amount": money_str(s.owed_amount),
        "lines": s.lines,
    }


@router.post("/shops/{shop_id}/settlements", response={201: dict})
def settle(request: HttpRequest, shop_id: int, payload: SettlementIn) -> Status[Any]:
    user = request_user(request)
    shop = access_shop(user=user, shop_id=shop_id, need=Need.OFFICE)
    seller = Organisation.objects.filter(pk=payload.seller_id).first()
    if seller is None:
        raise NotFound()
    made = settlement_record(
        shop=shop, seller=seller, start=payload.period_start, end=payload.period_end, by=user
    )
    return Status(201, _settlement_out(made))


@router.get("/shops/{shop_id}/settlements")
def settlements(request: HttpRequest, shop_id: int) -> Any:
    shop = access_shop(user=request_user(request), shop_id=shop_id, need=Need.OFFICE)
    return [_settlement_out(s) for s in shop.settlements.select_related("seller")[:200]]


@router.get("/shops/{shop_id}/merchants")
def merchants(request: HttpRequest, shop_id: int) -> Any:
    shop = access_shop(user=request_user(request), shop_id=shop_id, need=Need.OFFICE)
    return selectors.shop_merchants(shop=shop)


@router.get("/settlements/{settlement_id}/statement.xlsx")
def statement(request: HttpRequest, settlement_id: int) -> HttpResponse:
    found = Settlement.objects.filter(pk=settlement_id).select_related("shop", "seller").first()
    if found is None:
        raise NotFound()
    access_shop(user=request_user(request), shop_id=found.shop_id, need=Need.OFFICE)
    response = HttpResponse(
        settlement_xlsx(settlement=found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"settlement-{found.seller_id}-{found.period_start}-{found.period_end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/office/daily")
def office_daily(request: HttpRequest, day: date | None = None) -> Any:
    shops_for(user=request_user(request), need=Need.OFFICE)
    return selectors.daily_sales(day=day or timezone.localdate())
