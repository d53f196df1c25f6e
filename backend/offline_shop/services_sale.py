"""Selling at the counter: the basket checked against the shelf and priced by the shop's
own rules, then paid in cash, by card (sold at once) or by a QR code through the payment
provider (sold when the provider says paid; a QR payment that fails or is given up makes
no order and the counter keeps its basket)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import LocationStock
from backend.catalog.services_stock import StockInsufficient
from backend.common.errors import Conflict, DomainError
from backend.offline_shop.errors import ShopErrorCode as E
from backend.offline_shop.lock_objects import qr_lock
from backend.offline_shop.models import PayKind, QrPayment, Receipt, Shift, Shop
from backend.orders.payments import (
    PaymentRefused,
    PaymentUnavailable,
    ProviderPayment,
    get_provider,
)
from backend.orders.pricing import BasketPrice, Discount
from backend.orders.services_checkout import new_number
from backend.orders.services_counter import (
    CounterSale,
    ProviderPaid,
    counter_price,
    counter_sale_place,
)

logger = logging.getLogger(__name__)
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Quote:
    items: dict[int, int]
    priced: BasketPrice
    discounts: tuple[Discount, ...]
    rule_name: str


def basket_check(*, shop: Shop, items: list[tuple[int, int]]) -> dict[int, int]:
    """The basket as {sku id: quantity}; every SKU on the shop's shelf with enough units,
    else refused before any payment."""
    wanted: dict[int, int] = {}
    for sku_id, quantity in items:
        wanted[sku_id] = wanted.get(sku_id, 0) + quantity
    if not wanted:
        raise DomainError(_("The basket is empty."), code=E.BASKET_EMPTY, status=422)
    held = dict(
        LocationStock.objects.filter(
            location=shop.shelf, sku_id__in=wanted, sku__is_active=True
        ).values_list("sku_id", "quantity")
    )
    missing = sorted(k for k in wanted if k not in held)
    if missing:
        raise DomainError(
            _("Some items are not on this shop's shelf."),
            code=E.NOT_ON_SHELF,
            status=422,
            extra={"sku_ids": missing},
        )
    short = sorted(k for k in wanted if held[k] < wanted[k])
    if short:
        raise _shelf_short(sku_id=short[0], wanted=wanted[short[0]], left=held[short[0]])
    return wanted


def _shelf_short(*, sku_id: int, wanted: int, left: int | None) -> DomainError:
    return Conflict(
        _("Not enough units on the shelf."),
        code=E.SHELF_SHORT,
        extra={"sku_id": sku_id, "wanted": wanted, "left": left},
    )


def basket_quote(*, shop: Shop, items: list[tuple[int, int]]) -> Quote:
    """Prices and the best of the shop's rules that fits the basket (percent off the whole
    basket, rounded down to the fen, split among the merchants' orders)."""
    wanted = basket_check(shop=shop, items=items)
    plain = counter_price(items=wanted, discounts=[])
    best: tuple[Decimal, str, int] | None = None
    for rule in shop.rules.filter(is_active=True, threshold__lte=plain.total):
        off = (plain.total * rule.percent_off / 100).quantize(FEN, rounding=ROUND_DOWN)
        if off > 0 and (best is None or off > best[0]):
            best = (off, rule.name, rule.pk)
    if best is None:
        return Quote(wanted, plain, (), "")
    discount = Discount(amount=best[0], source=f"shop_rule:{best[2]}")
    priced = counter_price(items=wanted, discounts=[discount])
    return Quote(wanted, priced, (discount,), best[1])


def shift_current(*, shop: Shop, cashier: User) -> Shift:
    shift = Shift.objects.filter(shop=shop, cashier=cashier, status=Shift.Status.OPEN).first()
    if shift is None:
        raise Conflict(_("Open a shift first."), code=E.NO_OPEN_SHIFT)
    return shift


def _sale_make(
    *, shop: Shop, shift: Shift, cashier: User, quote: Quote, kind: str, key: str,
    paid: ProviderPaid | None = None,
) -> Receipt:  # fmt: skip
    number = new_number("SP")
    sale = CounterSale(
        cashier=cashier,
        items=quote.items,
        location=shop.shelf,
        source_ref=f"{shop.pk}:{number}",
        payment_kind=kind,
        discounts=quote.discounts,
        paid=paid,
    )
    with transaction.atomic():
        try:
            checkout, _placed = counter_sale_place(sale=sale)
        except StockInsufficient as exc:
            raise _shelf_short(
                sku_id=int(exc.extra.get("sku_id", 0)),
                wanted=int(exc.extra.get("wanted", 0)),
                left=None,
            ) from exc
        return Receipt.objects.create(
            number=number,
            shop=shop,
            shift=shift,
            checkout=checkout,
            payment_kind=kind,
            total_amount=checkout.total_amount,
            idempotency_key=key,
        )


def counter_sell(
    *, shop: Shop, cashier: User, items: list[tuple[int, int]], kind: str, key: str
) -> tuple[Receipt, bool]:
    """Cash or card, taken by the cashier: sold at once. The same key again returns the
    first receipt (a double tap sells once)."""
    if kind not in (PayKind.CASH, PayKind.CARD):
        raise DomainError(_("Cash or card here; a QR payment starts with its code."))
    found = Receipt.objects.filter(shop=shop, idempotency_key=key).first()
    if found is not None:
        return found, False
    shift = shift_current(shop=shop, cashier=cashier)
    quote = basket_quote(shop=shop, items=items)
    try:
        return _sale_make(
            shop=shop, shift=shift, cashier=cashier, quote=quote, kind=kind, key=key
        ), True
    except IntegrityError:
        return Receipt.objects.get(shop=shop, idempotency_key=key), False


def qr_start(*, shop: Shop, cashier: User, items: list[tuple[int, int]], key: str) -> QrPayment:
    """A payment at the provider for the basket; the buyer scans its code. The provider
    unreachable: 503, nothing kept, the counter keeps its basket."""
    found = QrPayment.objects.filter(shop=shop, idempotency_key=key).first()
    if found is not None:
        return found
    shift = shift_current(shop=shop, cashier=cashier)
    quote = basket_quote(shop=shop, items=items)
    number = new_number("QR")
    remote = get_provider().payment_create(
        out_trade_no=number,
        amount=quote.priced.total,
        subject=_("Qinshui specialty shop %(number)s") % {"number": number},
        notify_url=f"{settings.SITE_URL}/api/v1/shop-counter/qr-notify",
        return_url=f"{settings.SITE_URL}/shop-counter/",
    )
    try:
        with transaction.atomic():
            return _qr_create(number=number, shop=shop, shift=shift, cashier=cashier,
                              quote=quote, key=key, remote=remote)  # fmt: skip
    except IntegrityError:  # the same key at once from a second tap: the first one stands
        return QrPayment.objects.get(shop=shop, idempotency_key=key)


def _qr_create(
    *, number: str, shop: Shop, shift: Shift, cashier: User, quote: Quote, key: str,
    remote: ProviderPayment,
) -> QrPayment:  # fmt: skip
    return QrPayment.objects.create(
        number=number,
        shop=shop,
        shift=shift,
        cashier=cashier,
        items={str(k): v for k, v in quote.items.items()},
        amount=quote.priced.total,
        idempotency_key=key,
        provider_payment_id=remote.payment_id,
        pay_url=remote.pay_url,
    )


def qr_notice_receive(*, body: dict[str, object]) -> str:
    """The provider's notify for a QR payment: verified, then the sale is made once."""
    notice = get_provider().notice_parse(body=body)
    if notice is None or notice.status != "paid":
        raise DomainError(_("Invalid notice."), code=E.QR_NOT_PAID)
    qr = QrPayment.objects.filter(
        number=notice.out_trade_no, provider_payment_id=notice.payment_id
    ).first()
    if qr is None or notice.amount != qr.amount:
        raise DomainError(_("Invalid notice."), code=E.QR_NOT_PAID)
    return qr_paid(qr_id=qr.pk)


def qr_paid(*, qr_id: int) -> str:
    """Make the sale of a paid QR payment (safe to run twice). If the shelf ran short
    meanwhile, the money goes back and the QR payment fails: no order."""
    try:
        with transaction.atomic():
            qr = qr_lock(qr_id=qr_id)
            if qr.status != QrPayment.Status.PENDING:
                return str(qr.status)
            shop = Shop.objects.select_related("shelf").get(pk=qr.shop_id)
            items = [(int(k), int(v)) for k, v in qr.items.items()]
            quote = basket_quote(shop=shop, items=items)
            if quote.priced.total != qr.amount:
                raise Conflict(_("The basket's price changed."))
            paid = ProviderPaid(get_provider().name, qr.provider_payment_id, qr.pay_url)
            receipt = _sale_make(
                shop=shop, shift=qr.shift, cashier=qr.cashier, quote=quote,
                kind=PayKind.QR, key=qr.idempotency_key, paid=paid,
            )  # fmt: skip
            qr.status, qr.receipt = QrPayment.Status.PAID, receipt
            qr.save(update_fields=["status", "receipt"])
            return str(qr.status)
    except DomainError as exc:
        return _qr_fail(qr_id=qr_id, error=exc.message)


def _qr_fail(*, qr_id: int, error: str) -> str:
    qr = QrPayment.objects.get(pk=qr_id)
    logger.warning("QR payment %s paid but not sold (%s): paid back", qr.number, error)
    try:
        get_provider().refund(
            payment_id=qr.provider_payment_id,
            out_refund_no=f"RF{qr.number}",
            amount=qr.amount,
            reason=error,
        )
    except (PaymentUnavailable, PaymentRefused):
        logger.error("QR payment %s could not be paid back; staff must", qr.number)
    QrPayment.objects.filter(pk=qr_id, status=QrPayment.Status.PENDING).update(
        status=QrPayment.Status.FAILED, error=error[:200]
    )
    return str(QrPayment.Status.FAILED)


def qr_cancel(*, qr: QrPayment) -> QrPayment:
    """The cashier gives up (or the buyer did not pay in time): the payment is closed at
    the provider; if the buyer paid first, the sale is made after all."""
    if qr.status == QrPayment.Status.PENDING:
        outcome = get_provider().payment_close(payment_id=qr.provider_payment_id)
        if outcome == "paid":
            qr_paid(qr_id=qr.pk)
        else:
            QrPayment.objects.filter(pk=qr.pk, status=QrPayment.Status.PENDING).update(
                status=QrPayment.Status.CLOSED
            )
    qr.refresh_from_db()
    return qr


def qr_payments_expire(*, older_than_s: int) -> int:
    """Close the QR payments still waiting after `older_than_s` (the counter page closes
    its own; this catches a page closed or a tablet gone flat). A buyer who paid first
    still gets the sale (qr_cancel asks the provider). Returns how many were closed."""
    since = timezone.now() - timedelta(seconds=older_than_s)
    waiting = QrPayment.objects.filter(status=QrPayment.Status.PENDING, created_at__lt=since)
    closed = 0
    for qr in waiting.order_by("id")[:200]:
        if qr_cancel(qr=qr).status == QrPayment.Status.CLOSED:
            closed += 1
    return closed
