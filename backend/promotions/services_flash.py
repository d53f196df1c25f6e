"""Flash sales (秒杀): the Redis gate first (gate.py), then the order in PostgreSQL where
FlashSale.sold and the SKU's stock, both by conditional updates, are the truth. Rules:
docs/decisions/0720-promotions-app.md."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict, DomainError, NotFound
from backend.live.broadcast import room_broadcast
from backend.live.models import LiveSession
from backend.orders.models import OrderLine, OrderStatus, SourceKind
from backend.orders.pricing import LinePrice
from backend.orders.services import Consignee, checkout_place
from backend.orders.services_checkout import Placed
from backend.promotions import gate
from backend.promotions.errors import PromotionErrorCode as E
from backend.promotions.models import FlashSale
from backend.promotions.windows import window_close_now

TERMS_TTL_S = 5.0
_TERMS: dict[int, tuple[float, FlashSale]] = {}


@dataclass(frozen=True)
class FlashTerms:
    sku_id: int
    price: Decimal
    quantity: int
    per_buyer_cap: int
    starts_at: datetime
    ends_at: datetime


def flash_create(*, by: User, session: LiveSession, terms: FlashTerms) -> FlashSale:
    on_lineup = session.lineup.filter(sku_id=terms.sku_id).exists()
    if not on_lineup or terms.ends_at <= terms.starts_at or terms.price <= 0:
        raise DomainError(
            _("A flash sale needs a SKU of the line-up, a price and a window that ends."),
            code=E.FLASH_INVALID,
            status=422,
        )
    sale = FlashSale.objects.create(session=session, created_by=by, **terms.__dict__)
    gate.load(sale_id=sale.pk, left=sale.quantity, buyers={})
    return sale


def _terms(sale_id: int) -> FlashSale:
    """The sale's fixed terms, kept per process for a few seconds: a sold-out answer reads
    nothing from PostgreSQL."""
    kept = _TERMS.get(sale_id)
    if kept is not None and time.monotonic() - kept[0] < TERMS_TTL_S:
        return kept[1]
    sale = FlashSale.objects.filter(pk=sale_id).first()
    if sale is None:
        raise NotFound()
    _TERMS[sale_id] = (time.monotonic(), sale)
    return sale


def _source(sale_id: int) -> str:
    return f"flash:{sale_id}"


def gate_rebuild(*, sale_id: int) -> None:
    """After a Redis restart: units left and each buyer's units, from the orders that hold
    them (not cancelled)."""
    sale = FlashSale.objects.get(pk=sale_id)
    rows = (
        OrderLine.objects.filter(price_source=_source(sale_id))
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("order__buyer_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    buyers = {r["order__buyer_id"]: int(r["units"]) for r in rows}
    ended = timezone.now() >= sale.ends_at
    left = gate.ENDED if ended else sale.quantity - sale.sold
    gate.load(sale_id=sale_id, left=left, buyers=buyers)


def flash_end(*, sale: FlashSale) -> FlashSale:
    """The streamer ends the sale now: the window ends in the database, the gate closes
    after the commit (every later tap is told the sale is not open), the room is told.
    Ending twice changes nothing."""
    with transaction.atomic():
        sale, changed = window_close_now(
            model=FlashSale, pk=sale.pk, opens="starts_at", closes="ends_at"
        )
        if not changed:
            return sale
        payload = {"flash_id": sale.pk, "sku_id": sale.sku_id, "left": 0, "sold_out": False,
                   "ended": True}  # fmt: skip
        room_broadcast(sale.session_id, "promo.flash", payload)
        transaction.on_commit(lambda: gate.close(sale_id=sale.pk, ended=True))
    _TERMS.pop(sale.pk, None)
    return sale


def _refused(code: E, message: str) -> Conflict:
    return Conflict(message, code=code)


def _admit(*, sale: FlashSale, buyer: User, quantity: int, key: str) -> int:
    for _attempt in range(2):
        left = gate.admit(
            sale_id=sale.pk, buyer_id=buyer.pk, quantity=quantity, cap=sale.per_buyer_cap, key=key
        )
        if left != gate.NOT_LOADED:
            break
        gate_rebuild(sale_id=sale.pk)
    if left == gate.SOLD_OUT:
        raise _refused(E.FLASH_SOLD_OUT, _("Sold out."))
    if left == gate.OVER_CAP:
        raise _refused(
            E.FLASH_OVER_CAP,
            _("At most %(cap)s per buyer in this flash sale.") % {"cap": sale.per_buyer_cap},
        )
    return left


def flash_buy(
    *, buyer: User, sale_id: int, quantity: int, consignee: Consignee, idempotency_key: str
) -> Placed:
    """Admit, then place the order at the flash price. A repeated tap (same key) returns the
    first order; an order that fails gives its admission back."""
    sale = _terms(sale_id)
    now = timezone.now()
    if not sale.starts_at <= now < sale.ends_at:
        raise _refused(E.FLASH_NOT_OPEN, _("This flash sale is not open."))
    left = _admit(sale=sale, buyer=buyer, quantity=quantity, key=idempotency_key)
    try:
        placed = _order_place(
            sale=sale, buyer=buyer, quantity=quantity, consignee=consignee, key=idempotency_key
        )
    except Exception:
        if left != gate.REPEATED:
            gate.give_back(
                sale_id=sale.pk, buyer_id=buyer.pk, quantity=quantity, key=idempotency_key
            )
        raise
    if not placed.created and left != gate.REPEATED:  # the gate forgot the tap (flushed)
        gate.give_back(sale_id=sale.pk, buyer_id=buyer.pk, quantity=quantity, key=idempotency_key)
    return placed


def _order_place(
    *, sale: FlashSale, buyer: User, quantity: int, consignee: Consignee, key: str
) -> Placed:
    with transaction.atomic():
        placed = checkout_place(
            buyer=buyer,
            idempotency_key=key,
            items=[(sale.sku_id, quantity)],
            consignee=consignee,
            source_kind=SourceKind.LIVE,
            source_ref=str(sale.session_id),
            prices={sale.sku_id: LinePrice(price=sale.price, source=_source(sale.pk))},
        )
        if not placed.created:
            return placed
        taken = FlashSale.objects.filter(pk=sale.pk, sold__lte=F("quantity") - quantity).update(
            sold=F("sold") + quantity
        )
        if not taken:
            transaction.on_commit(lambda: gate.close(sale_id=sale.pk))
            raise _refused(E.FLASH_SOLD_OUT, _("Sold out."))
        _cap_check(sale=sale, buyer=buyer)
        sold = FlashSale.objects.values_list("sold", flat=True).get(pk=sale.pk)
        if sold == sale.quantity:
            payload = {"flash_id": sale.pk, "sku_id": sale.sku_id, "left": 0, "sold_out": True}
            room_broadcast(sale.session_id, "promo.flash", payload)
    return placed


def _cap_check(*, sale: FlashSale, buyer: User) -> None:
    """The cap in the database too (the gate may have been rebuilt meanwhile); called under
    the buyer's checkout lock, which checkout_place holds."""
    held = (
        OrderLine.objects.filter(price_source=_source(sale.pk), order__buyer=buyer)
        .exclude(order__status=OrderStatus.CANCELLED)
        .aggregate(n=Sum("quantity"))["n"]
    )
    if (held or 0) > sale.per_buyer_cap:
        raise _refused(
            E.FLASH_OVER_CAP,
            _("At most %(cap)s per buyer in this flash sale.") % {"cap": sale.per_buyer_cap},
        )


def flash_units_back(*, order_id: int) -> int:
    """A cancelled (unpaid) flash order: its units go back to the sale and to the gate.
    Called once per cancellation (the outbox runs each event's handler once)."""
    lines = OrderLine.objects.filter(order_id=order_id, price_source__startswith="flash:")
    back = 0
    with transaction.atomic():
        for line in lines.select_related("order__checkout"):
            sale_id = int(line.price_source.split(":")[1])
            FlashSale.objects.filter(pk=sale_id).update(sold=F("sold") - line.quantity)
            _give_back_after_commit(
                sale_id=sale_id,
                buyer_id=line.order.buyer_id or 0,
                quantity=line.quantity,
                key=line.order.checkout.idempotency_key,
            )
            back += line.quantity
    return back


def _give_back_after_commit(*, sale_id: int, buyer_id: int, quantity: int, key: str) -> None:
    transaction.on_commit(
        lambda: gate.give_back(sale_id=sale_id, buyer_id=buyer_id, quantity=quantity, key=key)
    )
