"""A sale at a shop's counter, and money back there: what the order flow does for the
offline specialty shop (docs/decisions/0901-offline-shop.md). Kept apart from the online
checkout (services_checkout), which it never branches: no consignee or address, the units
taken from the shop's shelf (each line names its location), paid when placed and completed
at once (the goods leave with the buyer); a return gives the units back to the shelf and
the money back by the payment's own kind, recorded here (cash, card) or paid back through
the provider (a QR payment)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import Sku, StockEntry, StockLocation
from backend.catalog.services_locations import location_stock_change, location_take_many
from backend.catalog.services_stock import StockTake
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish, publishing_batch
from backend.common.money import money_str
from backend.orders.errors import OrderErrorCode
from backend.orders.lock_objects import order_lock
from backend.orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentKind,
    Refund,
    SourceKind,
)
from backend.orders.models import OrderStatus as S
from backend.orders.payments import get_provider
from backend.orders.pricing import BasketPrice, Discount, basket_price
from backend.orders.services_checkout import (
    PlacedOrder,
    new_number,
    order_line,
    order_payload,
)
from backend.orders.services_refund import refunded_add

COUNTER_KINDS = (PaymentKind.COUNTER_CASH, PaymentKind.COUNTER_CARD, PaymentKind.PROVIDER)


@dataclass(frozen=True)
class ProviderPaid:
    """A payment the provider already took (a QR code scanned at the counter)."""

    provider: str
    payment_id: str
    pay_url: str


@dataclass(frozen=True)
class CounterSale:
    cashier: User
    items: dict[int, int]  # sku id → quantity
    location: StockLocation
    source_ref: str  # the shop's receipt number
    payment_kind: str
    discounts: tuple[Discount, ...] = ()
    paid: ProviderPaid | None = None


def counter_price(*, items: dict[int, int], discounts: list[Discount]) -> BasketPrice:
    skus = Sku.objects.filter(pk__in=items).values_list("pk", "seller_id", "price")
    return basket_price(
        lines=[(seller, pk, items[pk], price) for pk, seller, price in skus],
        prices={},
        discounts=discounts,
    )


def counter_sale_place(*, sale: CounterSale) -> tuple[Checkout, list[PlacedOrder]]:
    """One checkout, one completed order per merchant (source offline_shop), the units
    taken from `sale.location`. Call inside the caller's transaction; a short SKU raises
    StockInsufficient and nothing is written."""
    if sale.payment_kind not in COUNTER_KINDS or (
        (sale.payment_kind == PaymentKind.PROVIDER) != (sale.paid is not None)
    ):
        raise DomainError(_("Unknown payment kind."), code=OrderErrorCode.ORDER_AMOUNT_INVALID)
    skus = {
        s.pk: s for s in Sku.objects.select_related("product", "seller").filter(pk__in=sale.items)
    }
    missing = sorted(k for k in sale.items if k not in skus or not skus[k].is_active)
    if missing:
        raise DomainError(
            _("Some items are no longer on sale."),
            code=OrderErrorCode.ORDER_SKU_UNAVAILABLE,
            status=422,
            extra={"sku_ids": missing},
        )
    priced = counter_price(items=sale.items, discounts=list(sale.discounts))
    if priced.problem or priced.total <= 0:
        raise DomainError(
            _("A discount cannot apply to this basket."),
            code=OrderErrorCode.ORDER_DISCOUNT_INVALID,
            status=422,
            extra={"source": priced.problem},
        )
    with transaction.atomic():
        checkout = Checkout.objects.create(
            number=new_number("CK"), total_amount=priced.total, payment_kind=sale.payment_kind
        )
        placed = _orders_write(sale=sale, checkout=checkout, skus=skus, priced=priced)
        location_take_many(
            location=sale.location,
            takes=[
                StockTake(sku_id=line.sku_id, quantity=line.quantity, ref=p.order.number)
                for p in placed
                for line in p.lines
            ],
            reason=StockEntry.Reason.RESERVATION,
            by=sale.cashier,
        )
        if sale.paid is not None:
            Payment.objects.create(
                checkout=checkout,
                provider=sale.paid.provider,
                provider_payment_id=sale.paid.payment_id,
                amount=priced.total,
                pay_url=sale.paid.pay_url,
                status=Payment.Status.PAID,
                paid_at=timezone.now(),
            )
    return checkout, placed


def _orders_write(
    *, sale: CounterSale, checkout: Checkout, skus: dict[int, Sku], priced: BasketPrice
) -> list[PlacedOrder]:
    by_seller: dict[int, list[Sku]] = defaultdict(list)
    for sku in sorted(skus.values(), key=lambda s: s.pk):
        by_seller[sku.seller_id].append(sku)
    now = timezone.now()
    orders = [
        Order(
            number=new_number("QS"),
            checkout=checkout,
            seller=by_seller[seller_id][0].seller,
            source_kind=SourceKind.OFFLINE_SHOP,
            source_ref=sale.source_ref,
            status=S.COMPLETED,
            payment_kind=sale.payment_kind,
            goods_amount=priced.sellers[seller_id].goods,
            discount_amount=priced.sellers[seller_id].discount,
            discounts=priced.sellers[seller_id].parts,
            paid_amount=priced.sellers[seller_id].goods - priced.sellers[seller_id].discount,
            paid_at=now,
        )
        for seller_id in sorted(by_seller)
    ]
    Order.objects.bulk_create(orders)
    placed = []
    for order in orders:
        lines = [
            order_line(order=order, sku=sku, quantity=sale.items[sku.pk], unit_price=sku.price)
            for sku in by_seller[order.seller_id]
        ]
        for line in lines:
            line.stock_location = sale.location
        note = order.get_payment_kind_display()
        timeline = [
            OrderEvent(order=order, from_status="", to_status=S.CREATED, by=sale.cashier),
            OrderEvent(order=order, from_status=S.CREATED, to_status=S.PAID, by=sale.cashier,
                       note=note),
            OrderEvent(order=order, from_status=S.PAID, to_status=S.COMPLETED,
                       by=sale.cashier, note=str(_("Sold at the counter"))),
        ]  # fmt: skip
        placed.append(PlacedOrder(order=order, lines=lines, timeline=timeline))
    OrderLine.objects.bulk_create(line for p in placed for line in p.lines)
    OrderEvent.objects.bulk_create(event for p in placed for event in p.timeline)
    with publishing_batch():
        for order in orders:
            publish("order.created", order_payload(order, status=S.CREATED))
            publish("order.paid", order_payload(order, status=S.PAID))
            publish("order.completed", order_payload(order))
    return placed


@dataclass(frozen=True)
class CounterRefund:
    """Units of an order's lines coming back at the counter, and the money for them."""

    order: Order
    quantities: dict[int, int]  # line id → units back
    amount: Decimal
    reason: str
    by: User


def counter_refund_number(*, order: Order) -> str:
    return f"RF{order.number}-C{order.refunds.count() + 1}"


def counter_refund_pay(*, refund: CounterRefund, out_refund_no: str) -> str:
    """A QR sale's money goes back through the provider (idempotent by out_refund_no):
    called before `counter_refund_record`, under the caller's lock on the sale. Raises
    PaymentUnavailable or PaymentRefused; then the caller records nothing."""
    payment = Payment.objects.get(checkout_id=refund.order.checkout_id)
    remote = get_provider().refund(
        payment_id=payment.provider_payment_id,
        out_refund_no=out_refund_no,
        amount=refund.amount,
        reason=refund.reason,
    )
    return remote.refund_id


def counter_refund_record(
    *, refund: CounterRefund, out_refund_no: str, provider_refund_id: str = ""
) -> Refund:
    """The refund as paid back (cash or card handed back now, or the provider's), its
    amount added on the order, the units back where they were taken; the whole payment
    back moves the order to REFUNDED. Call inside the caller's transaction, after it
    checked the quantities under its own lock."""
    order = order_lock(order_id=refund.order.pk)
    if order.source_kind != SourceKind.OFFLINE_SHOP or order.status != S.COMPLETED:
        raise Conflict(
            _("Only a completed counter sale can be returned at the counter."),
            code=OrderErrorCode.ORDER_ILLEGAL_TRANSITION,
            extra={"from": order.status, "to": S.REFUNDED},
        )
    if not refunded_add(order_id=order.pk, amount=refund.amount):
        raise DomainError(
            _("A refund must be at most what is left."),
            code=OrderErrorCode.ORDER_REFUND_AMOUNT,
            status=422,
            extra={"amount": money_str(refund.amount)},
        )
    row = Refund.objects.create(
        order=order,
        provider=order.payment_kind,
        out_refund_no=out_refund_no,
        provider_refund_id=provider_refund_id,
        amount=refund.amount,
        reason=refund.reason[:200],
        status=Refund.Status.SUCCEEDED,
        approved_by=refund.by,
        settled_at=timezone.now(),
    )
    _units_back(refund=refund)
    order.refresh_from_db(fields=["refunded_amount"])
    extra = {"amount_refunded": money_str(refund.amount), "refund_ref": out_refund_no}
    if order.refunded_amount < order.paid_amount:
        note = f"refunded {money_str(refund.amount)}"
        OrderEvent.objects.create(
            order=order, from_status=S.COMPLETED, to_status=S.COMPLETED, by=refund.by, note=note
        )
        publish("order.refunded", order_payload(order, **extra))
        return row
    Order.objects.filter(pk=order.pk).update(status=S.REFUNDED, updated_at=timezone.now())
    order.status = S.REFUNDED
    OrderEvent.objects.create(order=order, from_status=S.COMPLETED, to_status=S.REFUNDED,
                              by=refund.by, note=refund.reason[:200])  # fmt: skip
    publish("order.refunded", order_payload(order, **extra))
    return row


def _units_back(*, refund: CounterRefund) -> None:
    lines = OrderLine.objects.filter(order=refund.order, pk__in=refund.quantities)
    for line in lines.select_related("stock_location").order_by("sku_id"):
        if line.stock_location is None:
            raise Conflict(_("This line was not sold at a counter."))
        location_stock_change(
            sku_id=line.sku_id,
            location=line.stock_location,
            delta=refund.quantities[line.pk],
            reason=StockEntry.Reason.RETURN,
            by=refund.by,
            ref=refund.order.number,
        )
