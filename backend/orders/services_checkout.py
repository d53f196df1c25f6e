"""Checkout: one order per seller under one checkout, stock reserved, idempotent per key,
with a cap on what one buyer may hold unpaid. Lean by design (a live-stream crowd buys at
once): reads first, then bulk inserts, one conditional UPDATE per SKU last; and the
checkouts that wait in one process at the same moment are written together
(checkout_batch.py), by the same code that writes one."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku, StockEntry
from backend.catalog.services_stock import StockTake, stock_insufficient, stock_take_many
from backend.common.bulk import instances_insert
from backend.common.errors import Conflict, DomainError
from backend.common.events import publish, publishing_batch
from backend.common.money import money_str
from backend.geo.resolver import Resolution, address_resolve
from backend.orders.checkout_batch import Combiner
from backend.orders.checkout_reads import CheckoutReads, checkout_reads
from backend.orders.errors import OrderErrorCode
from backend.orders.models import Checkout, Order, OrderEvent, OrderLine, PaymentKind, SourceKind
from backend.orders.models import OrderStatus as S
from backend.orders.pricing import BasketPrice, Discount, LinePrice, basket_price
from backend.orders.selectors import checkout_basket

logger = logging.getLogger(__name__)


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
    job = _Job(
        buyer=buyer,
        key=idempotency_key,
        wanted=dict(wanted),
        consignee=consignee,
        # Reference data, read before the transaction (the resolver keeps it per process).
        place=address_resolve(text=consignee.address),
        remark=remark,
        source=(source_kind, source_ref),
        terms=_Terms(prices or {}, discounts or [], payment_kind),
        language=translation.get_language(),
    )
    _combiner.submit(job)
    try:
        if job.error is not None:
            raise job.error
        if job.placed is None:
            raise RuntimeError("the checkout's batch left it without an outcome")
        return job.placed
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
    """This buyer's key placed a checkout before: the job's outcome (it writes nothing),
    answered with that checkout once the batch is done."""

    def __init__(self, checkout_id: int) -> None:
        super().__init__(checkout_id)
        self.checkout_id = checkout_id


@dataclass(frozen=True)
class _Terms:
    prices: dict[int, LinePrice]
    discounts: list[Discount]
    payment_kind: str


@dataclass
class _Job:
    """One buyer's checkout on its way through a batch, and its outcome."""

    buyer: User
    key: str
    wanted: dict[int, int]
    consignee: Consignee
    place: Resolution
    remark: str
    source: tuple[str, str]
    terms: _Terms
    language: str | None
    placed: Placed | None = None
    error: Exception | None = None


def checkouts_write(jobs: list[_Job]) -> None:
    """Write the jobs' checkouts in one transaction and record each one's outcome. If the
    batch fails as a whole (a SKU short for the sum of its takes, a key placed twice at
    once), each checkout is written alone, as if it had come alone: one buyer's sell-out
    or race never becomes another's."""
    if len(jobs) > 1:
        try:
            with transaction.atomic():
                placed = _checkouts_create(jobs)
        except Exception as exc:
            logger.info("a batch of %s checkouts goes one by one: %r", len(jobs), exc)
            for job in jobs:
                job.error = None  # a rule's error is judged again, alone
        else:
            for job, done in placed:
                job.placed = done
            return
    for job in jobs:
        try:
            with translation.override(job.language), transaction.atomic():
                placed = _checkouts_create([job])
        except Exception as exc:
            job.error = exc
        else:
            job.placed = placed[0][1] if placed else None


_combiner: Combiner[_Job] = Combiner(checkouts_write, key=lambda job: job.buyer.pk)


@dataclass(frozen=True)
class _Built:
    job: _Job
    placed: Placed
    takes: list[StockTake]


def _checkouts_create(jobs: list[_Job]) -> list[tuple[_Job, Placed]]:
    """Reads first (the buyers locked), each job judged on them (a job that breaks a rule
    gets its error and writes nothing), then every row in bulk and the hot SKU rows last:
    their row locks are held only from the conditional updates to the commit."""
    reads = checkout_reads(
        keys={job.buyer.pk: job.key for job in jobs},
        sku_ids=sorted({sku_id for job in jobs for sku_id in job.wanted}),
    )
    built: list[_Built] = []
    for job in jobs:
        try:
            with translation.override(job.language):
                built.append(_checkout_build(job, reads))
        except (DomainError, _KeyUsed) as exc:
            job.error = exc
    built = _within_stock(built, reads)
    if not built:
        return []
    orders = [p.order for b in built for p in b.placed.orders]
    instances_insert(
        [b.placed.checkout for b in built],
        orders,
        [line for b in built for p in b.placed.orders for line in p.lines],
        [event for b in built for p in b.placed.orders for event in p.timeline],
    )
    with publishing_batch():
        for order in orders:
            publish("order.created", order_payload(order, status=S.CREATED))
            if order.status == S.PAID:
                publish("order.paid", order_payload(order))
        stock_take_many(
            takes=[take for b in built for take in b.takes],
            reason=StockEntry.Reason.RESERVATION,
        )
    return [(b.job, b.placed) for b in built]


def _within_stock(built: list[_Built], reads: CheckoutReads) -> list[_Built]:
    """The jobs, in order, that the stock as read can serve; the others are sold out now,
    before anything is written (a crowd keeps pressing buy after a sell-out). The stock was
    read without a lock: the conditional updates stay the last word, and a batch that they
    find short goes one by one."""
    left = {sku_id: sku.stock for sku_id, sku in reads.skus.items()}
    fits = []
    for b in built:
        short = [t for t in b.takes if t.quantity > left[t.sku_id]]
        if short:
            with translation.override(b.job.language):
                b.job.error = stock_insufficient(short[0].sku_id, short[0].quantity)
            continue
        for take in b.takes:
            left[take.sku_id] -= take.quantity
        fits.append(b)
    return fits


def _checkout_build(job: _Job, reads: CheckoutReads) -> _Built:
    """The job's checkout, orders, lines and timeline as unsaved rows, after its rules."""
    buyer, wanted, terms = job.buyer, job.wanted, job.terms
    existing_id = reads.existing.get(buyer.pk)
    if existing_id is not None:
        raise _KeyUsed(existing_id)
    skus = {sku_id: reads.skus[sku_id] for sku_id in wanted if sku_id in reads.skus}
    priced = basket_price(
        lines=[(s.seller_id, s.pk, wanted[s.pk], s.price) for s in skus.values()],
        prices=terms.prices,
        discounts=terms.discounts,
    )
    checkout = Checkout(
        number=new_number("CK"),
        buyer=buyer,
        idempotency_key=job.key,
        total_amount=priced.total,
        payment_kind=terms.payment_kind,
    )
    _available_check(skus=skus, wanted=wanted)
    _terms_check(priced=priced, payment_kind=terms.payment_kind)
    _unpaid_cap_check(held=reads.held.get(buyer.pk, {}), wanted=wanted)
    by_seller: dict[int, list[Sku]] = defaultdict(list)
    for sku in sorted(skus.values(), key=lambda s: s.pk):
        by_seller[sku.seller_id].append(sku)
    now = timezone.now()
    at_once = terms.payment_kind != PaymentKind.PROVIDER
    expires = now + timedelta(minutes=settings.ORDER_UNPAID_EXPIRE_MINUTES)
    consignee, place = job.consignee, job.place
    orders = []
    for seller_id in sorted(by_seller):
        price = priced.sellers[seller_id]
        order = Order(
            number=new_number("QS"),
            checkout=checkout,
            seller=by_seller[seller_id][0].seller,
            buyer=buyer,
            source_kind=job.source[0],
            source_ref=job.source[1],
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
            remark=job.remark,
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
    takes = [
        StockTake(sku_id=line.sku_id, quantity=line.quantity, ref=p.order.number, by_id=buyer.pk)
        for p in placed
        for line in p.lines
    ]
    return _Built(job, Placed(checkout=checkout, orders=placed, created=True), takes)


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
