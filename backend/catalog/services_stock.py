"""Every stock change goes through here: a conditional UPDATE (never read-then-write), a
ledger row, and a `sku.stock_changed` event, all in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.errors import CatalogErrorCode
from backend.catalog.lock_objects import sku_stock_lock
from backend.catalog.models import Sku, StockEntry
from backend.common.errors import Conflict, DomainError, Invalid, NotFound
from backend.common.events import publish

Reason = StockEntry.Reason


class StockInsufficient(Conflict):
    code = CatalogErrorCode.STOCK_INSUFFICIENT


def stock_change(
    *,
    sku_id: int,
    delta: int,
    reason: str,
    by: User | None = None,
    note: str = "",
    ref: str = "",
) -> StockEntry:
    """Add (delta > 0) or take (delta < 0) stock. Taking more than there is raises
    StockInsufficient and changes nothing."""
    if delta == 0:
        raise DomainError(_("A stock change cannot be zero."))
    with transaction.atomic():
        rows = Sku.objects.filter(pk=sku_id)
        if delta < 0:
            rows = rows.filter(stock__gte=-delta)
        if rows.update(stock=F("stock") + delta) != 1:
            if not Sku.objects.filter(pk=sku_id).exists():
                raise NotFound(_("Unknown SKU."))
            raise StockInsufficient(
                _("Not enough stock."), extra={"sku_id": sku_id, "wanted": -delta}
            )
        return _ledger_record(sku_id=sku_id, delta=delta, reason=reason, by=by, note=note, ref=ref)


def stock_set(
    *, sku_id: int, stock: int, reason: str, by: User | None = None, note: str = ""
) -> StockEntry | None:
    """Set an absolute count (a stock-take). Locks the row so the delta is exact."""
    if stock < 0:
        raise Invalid(_("Stock cannot be negative."))
    with transaction.atomic():
        current = sku_stock_lock(sku_id=sku_id)
        if current == stock:
            return None
        Sku.objects.filter(pk=sku_id).update(stock=stock)
        return _ledger_record(
            sku_id=sku_id, delta=stock - current, reason=reason, by=by, note=note, ref=""
        )


def _ledger_record(
    *, sku_id: int, delta: int, reason: str, by: User | None, note: str, ref: str
) -> StockEntry:
    # Read after our own UPDATE in the same transaction: the row is locked by it.
    sku = Sku.objects.values("stock", "product_id", "outer_id").get(pk=sku_id)
    entry = StockEntry.objects.create(
        sku_id=sku_id,
        delta=delta,
        stock_after=sku["stock"],
        reason=reason,
        by=by,
        note=note,
        ref=ref,
    )
    publish(
        "sku.stock_changed",
        {
            "sku_id": sku_id,
            "product_id": sku["product_id"],
            "outer_id": sku["outer_id"],
            "stock": sku["stock"],
            "delta": delta,
            "reason": reason,
        },
    )
    return entry
