"""Stock in places other than the merchant's own: consigning units to a shop's shelf,
returning them to the merchant, and taking them at the shop's counter. The same ledger and
the same `sku.stock_changed` event as the online stock (one row and one event per change),
each naming its location; `Sku.stock` stays the online-sellable figure and the online
checkout never reads a location (services_stock is unchanged for it)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import LocationStock, Sku, StockEntry, StockLocation
from backend.catalog.services_stock import (
    StockInsufficient,
    StockTake,
    stock_change,
    stock_changed_publish,
)
from backend.common.errors import DomainError, NotFound
from backend.common.events import publishing_batch

Reason = StockEntry.Reason


def location_stock_change(
    *,
    sku_id: int,
    location: StockLocation,
    delta: int,
    reason: str,
    by: User | None = None,
    note: str = "",
    ref: str = "",
) -> StockEntry:
    """Add or take units at `location` (a conditional UPDATE; taking more than there is
    raises StockInsufficient and changes nothing)."""
    if delta == 0:
        raise DomainError(_("A stock change cannot be zero."))
    with transaction.atomic():
        if delta > 0:
            LocationStock.objects.get_or_create(sku_id=sku_id, location=location)
        rows = LocationStock.objects.filter(sku_id=sku_id, location=location)
        if delta < 0:
            rows = rows.filter(quantity__gte=-delta)
        if rows.update(quantity=F("quantity") + delta) != 1:
            raise _short(sku_id=sku_id, wanted=-delta, location=location)
        entries = _record(
            location=location,
            rows=[(sku_id, delta)],
            reason=reason,
            by=by,
            note=note,
            ref=ref,
        )
    return entries[0]


def _short(*, sku_id: int, wanted: int, location: StockLocation) -> DomainError:
    if not Sku.objects.filter(pk=sku_id).exists():
        return NotFound(_("Unknown SKU."))
    return StockInsufficient(
        _("Not enough stock at %(place)s.") % {"place": location.name},
        extra={"sku_id": sku_id, "wanted": wanted, "location": location.key},
    )


def _record(
    *,
    location: StockLocation,
    rows: list[tuple[int, int]],
    reason: str,
    by: User | None,
    note: str = "",
    ref: str = "",
    refs: Sequence[str] = (),
) -> list[StockEntry]:
    """Ledger rows for moves already made at `location` (read back under their row locks)
    and one event each, carrying the SKU's online figure."""
    ids = [sku_id for sku_id, _delta in rows]
    after = dict(
        LocationStock.objects.filter(location=location, sku_id__in=ids).values_list(
            "sku_id", "quantity"
        )
    )
    facts = {
        s["pk"]: s
        for s in Sku.objects.filter(pk__in=ids).values("pk", "stock", "product_id", "outer_id")
    }
    entries = [
        StockEntry(
            sku_id=sku_id,
            location=location,
            delta=delta,
            stock_after=after[sku_id],
            reason=reason,
            by=by,
            note=note,
            ref=refs[i] if refs else ref,
        )
        for i, (sku_id, delta) in enumerate(rows)
    ]
    with publishing_batch():
        StockEntry.objects.bulk_create(entries)
        for entry in entries:
            sku = facts[entry.sku_id]
            stock_changed_publish(
                entry,
                product_id=sku["product_id"],
                outer_id=sku["outer_id"],
                online=sku["stock"],
                location=location.key,
            )
    return entries


def stock_consign(
    *, sku_id: int, location: StockLocation, quantity: int, by: User | None, note: str = ""
) -> list[StockEntry]:
    """Move units from the merchant's own stock to `location` (a shop's shelf): two ledger
    rows and two events (the merchant's stock down, the shelf up), all or nothing."""
    _positive(quantity)
    with transaction.atomic():
        out = stock_change(
            sku_id=sku_id, delta=-quantity, reason=Reason.CONSIGN, by=by, note=note,
            ref=location.key,
        )  # fmt: skip
        into = location_stock_change(
            sku_id=sku_id, location=location, delta=quantity, reason=Reason.CONSIGN, by=by,
            note=note, ref=MERCHANT_REF,
        )  # fmt: skip
    return [out, into]


MERCHANT_REF = "merchant"


def stock_unconsign(
    *, sku_id: int, location: StockLocation, quantity: int, by: User | None, note: str = ""
) -> list[StockEntry]:
    """Unsold units go back from `location` to their merchant: the reverse of a consign."""
    _positive(quantity)
    with transaction.atomic():
        out = location_stock_change(
            sku_id=sku_id, location=location, delta=-quantity, reason=Reason.UNCONSIGN, by=by,
            note=note, ref=MERCHANT_REF,
        )  # fmt: skip
        into = stock_change(
            sku_id=sku_id, delta=quantity, reason=Reason.UNCONSIGN, by=by, note=note,
            ref=location.key,
        )  # fmt: skip
    return [out, into]


def _positive(quantity: int) -> None:
    if quantity <= 0:
        raise DomainError(_("A quantity must be positive."))


def location_take_many(
    *, location: StockLocation, takes: Sequence[StockTake], reason: str, by: User | None
) -> list[StockEntry]:
    """Take units of several SKUs at `location` (a counter sale): one conditional UPDATE
    per SKU in ascending id (the lock order), all or nothing within the caller's
    transaction; a short SKU raises StockInsufficient naming it."""
    if any(take.quantity <= 0 for take in takes):
        raise DomainError(_("A stock take must be positive."))
    ordered = sorted(takes, key=lambda t: t.sku_id)
    with transaction.atomic(savepoint=False):
        for take in ordered:
            taken = LocationStock.objects.filter(
                sku_id=take.sku_id, location=location, quantity__gte=take.quantity
            ).update(quantity=F("quantity") - take.quantity)
            if taken != 1:
                raise _short(sku_id=take.sku_id, wanted=take.quantity, location=location)
        return _record(
            location=location,
            rows=[(t.sku_id, -t.quantity) for t in ordered],
            reason=reason,
            by=by,
            refs=[t.ref for t in ordered],
        )


def location_quantities(*, location: StockLocation, sku_ids: Sequence[int]) -> dict[int, int]:
    rows = LocationStock.objects.filter(location=location, sku_id__in=sku_ids)
    return dict(rows.values_list("sku_id", "quantity"))
