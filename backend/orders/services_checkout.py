"""Checkout: one order per seller under one checkout, stock reserved, idempotent per key,
with a cap on what one buyer may hold unpaid. Lean by design (a live-stream crowd buys at
once): reads first, then bulk inserts, one conditional UPDATE per SKU last."""

from __future__ import annotations

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
from backend.catalog.services_stock import StockTake, stock_take_many
from backend.common.bulk import instances_insert
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish, publishing_batch
from backend.common.money import money_str
from backend.geo.resolver import Resolution, address_resolve
from backend.orders.checkout_reads import checkout_reads
from backend.orders.errors import OrderErrorCode
from backend.orders.models import Checkout, Order, OrderEvent, OrderLine, PaymentKind, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.pricing import BasketPrice, Discount, LinePrice, basket_price
from backend.orders.selectors import checkout_basket


@dataclass(frozen=True)
class Consignee:
    name: str
    phone: str
    address: str


def new_number(prefix: str) -> str:
    """Prefix, local time to the second, 10 random hex digits (26 characters): a crowd
    places hundreds of orders a second, and with 6 digits two of them met within a
    20,000-order import (a unique-key error where a number was expected)."""
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return f"{prefix}{stamp}{secrets.token_hex(5).upper()}"


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
        "payment_kind": order.payment_kind,
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


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    lines: list[OrderLine]
    timeline: list[OrderEvent]


@dataclass(frozen=True)
class Placed:
    """A checkout as `checkout_place` left it: just written (its orders, lines and timeline
    in hand, so the answer needs no re-read), or found again by its idempotency key."""

    checkout: Checkout
    orders: list[PlacedOrder]
    created: bool


class UnpaidLimit(Conflict):
    code = OrderErrorCode.ORDER_UNPAID_LIMIT


def checkout_place(
    *,
    buyer: User,
    idempotency_key: str,
    items: list[tuple[int, int]],
    consignee: Consignee,
    remark: str = "",
    source_kind: str = SourceKind.DIRECT,
    source_ref: str = "",
    prices: dict[int, LinePrice] | None = None,
    discounts: list[Discount] | None = None,
    payment_kind: str = PaymentKind.PROVIDER,
) -> Placed:
    """One order per seller under one checkout, stock reserved by conditional updates.
    The same (buyer, key) with the same basket returns the first checkout (a retried "buy"
    buys once); with another basket it is refused (409 order.idempotency_mismatch).

    `prices` sets a unit price other than the list price (by SKU id, with its source);
    `discounts` are split among the seller orders by pricing.split_to_fen. A `provider`
    checkout awaits the provider's payment; the other kinds are paid when placed (a prize
    must come to 0; it is never counted as a sale)."""
    wanted: dict[int, int] = defaultdict(int)
    for sku_id, quantity in items:
        wanted[sku_id] += quantity
    # Reference data, read before the transaction (the resolver keeps it per process).
    place = address_resolve(text=consignee.address)
    try:
        with transaction.atomic():
            return _checkout_create(
                buyer=buyer,
                key=idempotency_key,
                wanted=dict(wanted),
                consignee=consignee,
                place=place,
                remark=remark,
                source=(source_kind, source_ref),
                terms=_Terms(prices or {}, discounts or [], payment_kind),
            )
    except _KeyUsed as used:
        existing = Checkout.objects.get(pk=used.checkout_id)
    except IntegrityError:
        # The buyer's lock orders checkouts with one key, so the read above finds the
        # first; the unique constraint stays the last word.
        found = Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()
        if found is None:
            raise
        existing = found
    if checkout_basket(checkout=existing) != dict(wanted):
        raise Conflict(
            _("This idempotency key was used for another basket; a new purchase needs a new key."),
            code=OrderErrorCode.ORDER_IDEMPOTENCY_MISMATCH,
            extra={"checkout_id": existing.pk},
        )
    return Placed(checkout=existing, orders=[], created=False)


class _KeyUsed(Exception):
    """This buyer's key placed a checkout before (raised inside the transaction: nothing
    this attempt began is kept)."""

    def __init__(self, checkout_id: int) -> None:
        super().__init__(checkout_id)
        self.checkout_id = checkout_id


@dataclass(frozen=True)
class _Terms:
    prices: dict[int, LinePrice]
    discounts: list[Discount]
    payment_kind: str


def _checkout_create(
    *,
    buyer: User,
    key: str,
    wanted: dict[int, int],
    consignee: Consignee,
    place: Resolution,
    remark: str,
    source: tuple[str, str],
    terms: _Terms,
) -> Placed:
    """Reads first, writes in bulk, and the hot SKU rows last: their row locks are held
    only from the conditional updates to the commit."""
    reads = checkout_reads(buyer_id=buyer.pk, key=key, sku_ids=sorted(wanted))
    if reads.existing_id is not None:
        raise _KeyUsed(reads.existing_id)
    skus = reads.skus
    priced = basket_price(
        lines=[(s.seller_id, s.pk, wanted[s.pk], s.price) for s in skus.values()],
        prices=terms.prices,
        discounts=terms.discounts,
    )
    checkout = Checkout(
        number=new_number("CK"),
        buyer=buyer,
        idempotency_key=key,
        total_amount=priced.total,
        payment_kind=terms.payment_kind,
    )
    _available_check(skus=skus, wanted=wanted)
    _terms_check(priced=priced, payment_kind=terms.payment_kind)
    _unpaid_cap_check(held=reads.held, wanted=wanted)
    by_seller: dict[int, list[Sku]] = defaultdict(list)
    for sku in sorted(skus.values(), key=lambda s: s.pk):
        by_seller[sku.seller_id].append(sku)
    now = timezone.now()
    at_once = terms.payment_kind != PaymentKind.PROVIDER
    expires = now + timedelta(minutes=settings.ORDER_UNPAID_EXPIRE_MINUTES)
    orders = []
    for seller_id in sorted(by_seller):
        price = priced.sellers[seller_id]
        order = Order(
            number=new_number("QS"),
            checkout=checkout,
            seller=by_seller[seller_id][0].seller,
            buyer=buyer,
            source_kind=source[0],
            source_ref=source[1],
            status=S.PAID if at_once else S.CREATED,
            payment_kind=terms.payment_kind,
            consignee_name=consignee.name,
            consignee_phone=consignee.phone,
            address=consignee.address,
            township=place.township,
            village=place.village,
            goods_amount=price.goods,
            discount_amount=price.discount,
            discounts=price.parts,
            paid_amount=price.goods - price.discount,
            remark=remark,
            expires_at=None if at_once else expires,
            paid_at=now if at_once else None,
        )
        orders.append(order)
    placed = [
        PlacedOrder(
            order=order,
            lines=[
                _priced_line(order=order, sku=sku, quantity=wanted[sku.pk], terms=terms)
                for sku in by_seller[order.seller_id]
            ],
            timeline=_first_events(order=order, by=buyer, paid=at_once),
        )
        for order in orders
    ]
    instances_insert(
        [checkout],
        orders,
        [line for p in placed for line in p.lines],
        [event for p in placed for event in p.timeline],
    )
    with publishing_batch():
        for order in orders:
            publish("order.created", order_payload(order, status=S.CREATED))
            if at_once:
                publish("order.paid", order_payload(order))
        stock_take_many(
            takes=[
                StockTake(sku_id=line.sku_id, quantity=line.quantity, ref=p.order.number)
                for p in placed
                for line in p.lines
            ],
            reason=StockEntry.Reason.RESERVATION,
            by=buyer,
        )
    return Placed(checkout=checkout, orders=placed, created=True)


def _first_events(*, order: Order, by: User, paid: bool) -> list[OrderEvent]:
    created = OrderEvent(order=order, from_status="", to_status=S.CREATED, by=by)
    if not paid:
        return [created]
    note = order.get_payment_kind_display()
    return [
        created,
        OrderEvent(order=order, from_status=S.CREATED, to_status=S.PAID, by=by, note=note),
    ]


def _priced_line(*, order: Order, sku: Sku, quantity: int, terms: _Terms) -> OrderLine:
    line = order_line(order=order, sku=sku, quantity=quantity, unit_price=sku.price)
    set_price = terms.prices.get(sku.pk)
    if set_price is not None:
        line.unit_price, line.price_source = set_price.price, set_price.source
        line.line_amount = set_price.price * quantity
    return line


def _terms_check(*, priced: BasketPrice, payment_kind: str) -> None:
    if priced.problem:
        raise DomainError(
            _("A discount cannot apply to this basket."),
            code=OrderErrorCode.ORDER_DISCOUNT_INVALID,
            status=422,
            extra={"source": priced.problem},
        )
    if (payment_kind == PaymentKind.PRIZE) != (priced.total == 0):
        raise DomainError(
            _("A prize costs nothing, and anything else costs something."),
            code=OrderErrorCode.ORDER_AMOUNT_INVALID,
            status=422,
            extra={"payment_kind": payment_kind, "total": money_str(priced.total)},
        )


def order_line(
    *, order: Order, sku: Sku, quantity: int, unit_price: Decimal, shortfall: int = 0
) -> OrderLine:
    """A line with its snapshot of the SKU as sold (title, spec, outer id, price)."""
    return OrderLine(
        order=order,
        sku=sku,
        product_id=sku.product_id,
        title=sku.product.title,
        spec_text=sku.spec_text,
        outer_id=sku.outer_id,
        unit_price=unit_price,
        list_price=sku.price,
        quantity=quantity,
        line_amount=unit_price * quantity,
        shortfall=shortfall,
    )


def _available_check(*, skus: dict[int, Sku], wanted: dict[int, int]) -> None:
    bad = [
        sku_id
        for sku_id in wanted
        if sku_id not in skus
        or not skus[sku_id].is_active
        or skus[sku_id].product.status != ProductStatus.ON_SALE
    ]
    if bad:
        raise _unavailable(bad)


def _unpaid_cap_check(*, held: dict[int, int], wanted: dict[int, int]) -> None:
    """Against hoarding: unpaid units held per SKU and in all (`held`, read under the
    buyer's checkout lock), with this basket, stay within the settings."""
    per_sku = settings.ORDER_UNPAID_MAX_PER_SKU
    for sku_id in sorted(wanted):
        if held.get(sku_id, 0) + wanted[sku_id] > per_sku:
            raise UnpaidLimit(
                _(
                    "You may hold at most %(limit)s unpaid units of an item and already hold "
                    "%(held)s of this one: pay or cancel those orders first."
                )
                % {"limit": per_sku, "held": held.get(sku_id, 0)},
                extra={
                    "sku_id": sku_id,
                    "held": held.get(sku_id, 0),
                    "wanted": wanted[sku_id],
                    "limit": per_sku,
                },
            )
    total, per_buyer = sum(held.values()), settings.ORDER_UNPAID_MAX_PER_BUYER
    if total + sum(wanted.values()) > per_buyer:
        raise UnpaidLimit(
            _(
                "You may hold at most %(limit)s unpaid units in all and already hold "
                "%(held)s: pay or cancel those orders first."
            )
            % {"limit": per_buyer, "held": total},
            extra={"held": total, "wanted": sum(wanted.values()), "limit": per_buyer},
        )
