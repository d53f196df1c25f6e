"""Consignment settlement: per merchant and period (local dates, both included, over
before it is settled), the units consigned to the shelf and taken back, the units sold and
returned at the counter, what was paid and paid back, the shop's commission on the net and
what the shop owes. Recorded once: a period overlapping a settled one is refused."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Organisation, User
from backend.catalog.models import StockEntry
from backend.common.errors import Conflict, DomainError
from backend.common.money import money_str
from backend.offline_shop.errors import ShopErrorCode as E
from backend.offline_shop.lock_objects import shop_lock
from backend.offline_shop.models import ReturnLine, Settlement, Shop
from backend.orders.models import Order, OrderLine, SourceKind

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def settlement_figures(*, shop: Shop, seller_id: int, start: date, end: date) -> dict[str, Any]:
    since, until = period_bounds(start, end)
    moves = StockEntry.objects.filter(
        location=shop.shelf, sku__seller_id=seller_id, created_at__gte=since, created_at__lt=until
    )
    consigned = moves.filter(reason=StockEntry.Reason.CONSIGN).aggregate(n=Sum("delta"))["n"]
    taken_back = moves.filter(reason=StockEntry.Reason.UNCONSIGN).aggregate(n=Sum("delta"))["n"]
    lines = OrderLine.objects.filter(
        order__source_kind=SourceKind.OFFLINE_SHOP,
        order__source_ref__startswith=f"{shop.pk}:",
        order__seller_id=seller_id,
        order__paid_at__gte=since,
        order__paid_at__lt=until,
    )
    sold = lines.aggregate(units=Sum("quantity"))["units"] or 0
    sales = _orders_paid(lines) if sold else ZERO
    back = ReturnLine.objects.filter(
        counter_return__receipt__shop=shop,
        line__order__seller_id=seller_id,
        counter_return__created_at__gte=since,
        counter_return__created_at__lt=until,
    ).aggregate(units=Sum("quantity"), amount=Sum("amount"))
    refunds = back["amount"] or ZERO
    commission = ((sales - refunds) * shop.commission_rate).quantize(FEN, rounding=ROUND_HALF_UP)
    return {
        "units_consigned": consigned or 0,
        "units_unconsigned": -(taken_back or 0),
        "units_sold": sold,
        "units_returned": back["units"] or 0,
        "sales_amount": sales,
        "refunds_amount": refunds,
        "commission_rate": shop.commission_rate,
        "commission_amount": commission,
        "owed_amount": sales - refunds - commission,
        "lines": _per_product(lines=lines, moves=moves),
    }


def _orders_paid(lines: Any) -> Decimal:
    ids = lines.values("order_id")
    return Order.objects.filter(pk__in=ids).aggregate(n=Sum("paid_amount"))["n"] or ZERO


def _per_product(*, lines: Any, moves: Any) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for line in lines.values("outer_id", "title", "spec_text").annotate(
        units=Sum("quantity"), amount=Sum("line_amount")
    ):
        rows[line["outer_id"]] = {
            "outer_id": line["outer_id"],
            "title": line["title"],
            "spec": line["spec_text"],
            "consigned": 0,
            "sold": line["units"],
            "amount": money_str(line["amount"]),
        }
    consigned = moves.filter(reason=StockEntry.Reason.CONSIGN).values(
        "sku__outer_id", "sku__product__title", "sku__spec_text"
    )
    for move in consigned.annotate(n=Sum("delta")):
        row = rows.setdefault(
            move["sku__outer_id"],
            {
                "outer_id": move["sku__outer_id"],
                "title": move["sku__product__title"],
                "spec": move["sku__spec_text"],
                "sold": 0,
                "amount": "0.00",
            },
        )
        row["consigned"] = move["n"]
    return [rows[k] for k in sorted(rows)]


def settlement_record(
    *, shop: Shop, seller: Organisation, start: date, end: date, by: User
) -> Settlement:
    if end < start or end >= timezone.localdate():
        raise DomainError(
            _("A period runs from its first to its last day, and must be over."),
            code=E.PERIOD_INVALID,
            status=422,
        )
    try:
        with transaction.atomic():
            shop_lock(shop_id=shop.pk)
            overlapping = Settlement.objects.filter(
                Q(period_start__lte=end) & Q(period_end__gte=start), shop=shop, seller=seller
            ).first()
            if overlapping is not None:
                raise _settled(overlapping)
            figures = settlement_figures(shop=shop, seller_id=seller.pk, start=start, end=end)
            return Settlement.objects.create(
                shop=shop, seller=seller, period_start=start, period_end=end, by=by, **figures
            )
    except IntegrityError as exc:
        raise _settled(None) from exc


def _settled(found: Settlement | None) -> DomainError:
    extra = {} if found is None else {
        "settlement_id": found.pk, "start": str(found.period_start), "end": str(found.period_end)
    }  # fmt: skip
    return Conflict(
        _("This period is already settled for this merchant."), code=E.PERIOD_SETTLED, extra=extra
    )
