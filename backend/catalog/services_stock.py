"""Every stock change goes through here: a conditional UPDATE (never read-then-write), a
ledger row, and a `sku.stock_changed` event, all in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.errors import CatalogErrorCode
from backend.catalog.lock_objects import sku_stock_lock
from backend.catalog.models import Sku, StockEntry
from backend.common.errors import Conflict, DomainError, Invalid, NotFound
from backend.common.events import publish, publishing_batch
from backend.common.prepared import prepared_cursor

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


@dataclass(frozen=True)
class StockTake:
    sku_id: int
    quantity: int
    ref: str = ""


def stock_take_many(
    *, takes: Sequence[StockTake], reason: str, by: User | None = None
) -> list[StockEntry]:
    """Take stock of several SKUs at once (a checkout): one conditional UPDATE per SKU, in
    ascending id (the lock order), reading back the new stock; then the ledger rows and one
    batch of events. All or nothing within the caller's transaction: a short SKU raises
    StockInsufficient and rolls it back.

    On PostgreSQL each SKU's UPDATE writes its ledger row in the same statement: a hot
    SKU's row lock is held from that statement to the commit, so every round trip after
    it is time a crowd's other buyers wait."""
    if any(take.quantity <= 0 for take in takes):
        raise DomainError(_("A stock take must be positive."))
    ordered = sorted(takes, key=lambda t: t.sku_id)
    with transaction.atomic(savepoint=False), publishing_batch():
        if connection.vendor == "postgresql":
            taken = _take_with_ledger_pg(ordered, reason=reason, by=by)
        else:
            taken = _take_then_ledger(ordered, reason=reason, by=by)
        for entry, product_id, outer_id in taken:
            stock_changed_publish(entry, product_id=product_id, outer_id=outer_id)
    return [entry for entry, _product, _outer in taken]


_Taken = list[tuple[StockEntry, int, str]]


def _taken_entry(take: StockTake, *, stock_after: int, reason: str, by: User | None) -> StockEntry:
    return StockEntry(
        sku_id=take.sku_id,
        delta=-take.quantity,
        stock_after=stock_after,
        reason=reason,
        by=by,
        ref=take.ref,
    )


def _take_with_ledger_pg(takes: list[StockTake], *, reason: str, by: User | None) -> _Taken:
    sku_table = connection.ops.quote_name(Sku._meta.db_table)
    ledger = connection.ops.quote_name(StockEntry._meta.db_table)
    sql = (
        f"WITH taken AS (UPDATE {sku_table} SET stock = stock - %s "  # noqa: S608
        "WHERE id = %s AND stock >= %s RETURNING id, stock, product_id, outer_id), "
        f"entry AS (INSERT INTO {ledger} "
        "(sku_id, location_id, delta, stock_after, reason, note, ref, by_id, created_at) "
        "SELECT id, NULL, %s, stock, %s, '', %s, %s, %s FROM taken RETURNING id) "
        "SELECT entry.id, taken.stock, taken.product_id, taken.outer_id FROM taken, entry"
    )
    now, by_id = timezone.now(), by.pk if by else None
    out: _Taken = []
    with prepared_cursor() as cursor:
        for take in takes:
            q = take.quantity
            cursor.execute(sql, [q, take.sku_id, q, -q, reason, take.ref, by_id, now])
            row = cursor.fetchone()
            if row is None:
                raise _short_or_unknown(take.sku_id, q)
            entry_id, stock, product_id, outer_id = row
            entry = _taken_entry(take, stock_after=stock, reason=reason, by=by)
            entry.pk, entry.created_at = entry_id, now
            entry._state.adding = False
            out.append((entry, product_id, outer_id))
    return out


def _take_then_ledger(takes: list[StockTake], *, reason: str, by: User | None) -> _Taken:
    """The same for the embedded SQLite (no UPDATE inside a WITH): UPDATE … RETURNING,
    then one insert for the ledger rows."""
    table = connection.ops.quote_name(Sku._meta.db_table)
    sql = (
        f"UPDATE {table} SET stock = stock - %s WHERE id = %s AND stock >= %s "  # noqa: S608
        "RETURNING stock, product_id, outer_id"
    )
    out: _Taken = []
    with connection.cursor() as cursor:
        for take in takes:
            cursor.execute(sql, [take.quantity, take.sku_id, take.quantity])
            row = cursor.fetchone()
            if row is None:
                raise _short_or_unknown(take.sku_id, take.quantity)
            stock, product_id, outer_id = row
            entry = _taken_entry(take, stock_after=stock, reason=reason, by=by)
            out.append((entry, product_id, outer_id))
    StockEntry.objects.bulk_create([entry for entry, _product, _outer in out])
    return out


def _short_or_unknown(sku_id: int, quantity: int) -> DomainError:
    if not Sku.objects.filter(pk=sku_id).exists():
        return NotFound(_("Unknown SKU."))
    return StockInsufficient(_("Not enough stock."), extra={"sku_id": sku_id, "wanted": quantity})


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
    stock_changed_publish(entry, product_id=sku["product_id"], outer_id=sku["outer_id"])
    return entry


MERCHANT = "merchant"


def stock_changed_publish(
    entry: StockEntry,
    *,
    product_id: int,
    outer_id: str,
    online: int | None = None,
    location: str = MERCHANT,
) -> None:
    """`stock` is always the online-sellable figure (the merchant's own): a move at another
    location (`location` "<kind>:<id>", `online` the SKU's stock) never changes what the
    stores push."""
    publish(
        "sku.stock_changed",
        {
            "sku_id": entry.sku_id,
            "product_id": product_id,
            "outer_id": outer_id,
            "stock": entry.stock_after if online is None else online,
            "delta": entry.delta,
            "reason": entry.reason,
            "location": location,
        },
    )


def _take_up_to_pg(wanted: dict[int, int]) -> dict[int, tuple[int, int, str]]:
    """One statement per SKU: lock the row, take up to what it holds; (stock before,
    product id, outer id) by SKU id."""
    table = connection.ops.quote_name(Sku._meta.db_table)
    sql = (
        f"WITH old AS (SELECT id, stock FROM {table} WHERE id = %s FOR UPDATE) "  # noqa: S608
        f"UPDATE {table} AS s SET stock = s.stock - GREATEST(LEAST(old.stock, %s), 0) FROM old "
        "WHERE s.id = old.id RETURNING old.stock, s.product_id, s.outer_id"
    )
    before: dict[int, tuple[int, int, str]] = {}
    with connection.cursor() as cursor:
        for sku_id in sorted(wanted):
            cursor.execute(sql, [sku_id, wanted[sku_id]])
            row = cursor.fetchone()
            if row is None:
                raise NotFound(_("Unknown SKU."))
            before[sku_id] = (max(int(row[0]), 0), row[1], row[2])
    return before


def _take_up_to_portable(wanted: dict[int, int]) -> dict[int, tuple[int, int, str]]:
    """The same for the embedded SQLite of `make run`, which has no row locks: its
    transactions take the write lock at BEGIN (decision 0005), so the read and the
    update below see no other writer in between."""
    rows = Sku.objects.filter(pk__in=wanted).values_list("pk", "stock", "product_id", "outer_id")
    found = {pk: (stock, product_id, outer_id) for pk, stock, product_id, outer_id in rows}
    before: dict[int, tuple[int, int, str]] = {}
    for sku_id in sorted(wanted):
        if sku_id not in found:
            raise NotFound(_("Unknown SKU."))
        stock, product_id, outer_id = found[sku_id]
        taken = max(min(stock, wanted[sku_id]), 0)
        Sku.objects.filter(pk=sku_id).update(stock=F("stock") - taken)
        before[sku_id] = (max(stock, 0), product_id, outer_id)
    return before


def stock_take_available(*, takes: Sequence[StockTake], reason: str, note: str = "") -> list[int]:
    """Take what there is (imported orders: a fact is never refused): one statement per SKU
    for the whole batch, in ascending id (the lock order), taking up to what each SKU
    holds; the takes are served in the order given. One ledger row per take that got
    anything (one insert) and one `sku.stock_changed` per SKU. Returns each take's
    shortfall, in the order given. Call inside the caller's transaction."""
    wanted: dict[int, int] = {}
    for take in takes:
        wanted[take.sku_id] = wanted.get(take.sku_id, 0) + take.quantity
    take_all = _take_up_to_pg if connection.vendor == "postgresql" else _take_up_to_portable
    before = take_all(wanted)
    left = {sku_id: stock for sku_id, (stock, _p, _o) in before.items()}
    shortfalls: list[int] = []
    entries: list[StockEntry] = []
    for take in takes:
        got = min(take.quantity, left[take.sku_id])
        left[take.sku_id] -= got
        shortfalls.append(take.quantity - got)
        if got:
            entries.append(
                StockEntry(sku_id=take.sku_id, delta=-got, stock_after=left[take.sku_id],
                           reason=reason, note=note, ref=take.ref)
            )  # fmt: skip
    with transaction.atomic(savepoint=False), publishing_batch():
        StockEntry.objects.bulk_create(entries)
        for sku_id, (stock, product_id, outer_id) in sorted(before.items()):
            if stock != left[sku_id]:
                summary = StockEntry(sku_id=sku_id, delta=left[sku_id] - stock,
                                     stock_after=left[sku_id], reason=reason)  # fmt: skip
                stock_changed_publish(summary, product_id=product_id, outer_id=outer_id)
    return shortfalls
