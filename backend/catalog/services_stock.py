"""Every stock change goes through here: a conditional UPDATE (never read-then-write), a
ledger row, and a `sku.stock_changed` event, all in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, groupby

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
from backend.common.prepared import prepared_cursor, table

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
    by_id: int | None = None  # who took it, when not the call's `by` (a batch of buyers)


def stock_take_many(
    *, takes: Sequence[StockTake], reason: str, by: User | None = None
) -> list[StockEntry]:
    """Take stock of several SKUs at once (a checkout, or a batch of them): one conditional
    UPDATE per SKU for all its takes, in ascending id (the lock order), reading back the new
    stock; a ledger row per take; one `sku.stock_changed` per SKU. All or nothing within the
    caller's transaction: a short SKU raises StockInsufficient and rolls it back.

    On PostgreSQL each SKU's UPDATE writes its ledger rows in the same statement: a hot
    SKU's row lock is held from that statement to the commit, so every round trip after
    it is time a crowd's other buyers wait."""
    if any(take.quantity <= 0 for take in takes):
        raise DomainError(_("A stock take must be positive."))
    default_by = by.pk if by else None
    ordered = [
        take if take.by_id is not None else replace(take, by_id=default_by)
        for take in sorted(takes, key=lambda t: t.sku_id)
    ]
    with transaction.atomic(savepoint=False), publishing_batch():
        if connection.vendor == "postgresql":
            taken = _take_with_ledger_pg(ordered, reason=reason)
        else:
            taken = _take_then_ledger(ordered, reason=reason)
        last: dict[int, tuple[StockEntry, int, str]] = {}
        moved: dict[int, int] = defaultdict(int)
        for entry, product_id, outer_id in taken:
            last[entry.sku_id] = (entry, product_id, outer_id)
            moved[entry.sku_id] += entry.delta
        for sku_id, (entry, product_id, outer_id) in last.items():
            # One event per SKU: its stock after every take and what they moved in all.
            change = StockEntry(
                sku_id=sku_id, delta=moved[sku_id], stock_after=entry.stock_after, reason=reason
            )
            stock_changed_publish(change, product_id=product_id, outer_id=outer_id)
    return [entry for entry, _product, _outer in taken]


_Taken = list[tuple[StockEntry, int, str]]


def _taken_entry(take: StockTake, *, stock_after: int, reason: str) -> StockEntry:
    return StockEntry(
        sku_id=take.sku_id,
        delta=-take.quantity,
        stock_after=stock_after,
        reason=reason,
        by_id=take.by_id,
        ref=take.ref,
    )


def _take_with_ledger_pg(takes: list[StockTake], *, reason: str) -> _Taken:
    """One statement per SKU: the UPDATE by the sum of its takes, then a ledger row per take
    whose stock_after is as if the takes had gone one by one, in order (so it is unique
    within the SKU and matches each row back to its take)."""
    sku_table = table(Sku)
    ledger = table(StockEntry)
    sql = (
        f"WITH taken AS (UPDATE {sku_table} SET stock = stock - %s "  # noqa: S608
        "WHERE id = %s AND stock >= %s RETURNING id, stock, product_id, outer_id), "
        f"entry AS (INSERT INTO {ledger} "
        "(sku_id, location_id, delta, stock_after, reason, note, ref, by_id, created_at) "
        "SELECT taken.id, NULL, -t.q, taken.stock + t.later, %s, '', t.ref, t.by_id, %s "
        "FROM taken, unnest(%s::int[], %s::int[], %s::text[], %s::bigint[]) "
        "AS t(q, later, ref, by_id) RETURNING id, stock_after) "
        "SELECT entry.id, entry.stock_after, taken.product_id, taken.outer_id FROM taken, entry"
    )
    now = timezone.now()
    out: _Taken = []
    with prepared_cursor() as cursor:
        for sku_id, group in groupby(takes, key=lambda t: t.sku_id):
            ts = list(group)
            qs = [t.quantity for t in ts]
            total = sum(qs)
            later = [total - taken for taken in accumulate(qs)]  # units taken after each take
            refs, bys = [t.ref for t in ts], [t.by_id for t in ts]
            cursor.execute(sql, [total, sku_id, total, reason, now, qs, later, refs, bys])
            rows = {row[1]: row for row in cursor.fetchall()}
            if not rows:
                raise _short_or_unknown(sku_id, total)
            final = min(rows)  # the last take's row: nothing after it
            for take, after in zip(ts, later, strict=True):
                entry_id, stock_after, product_id, outer_id = rows[final + after]
                entry = _taken_entry(take, stock_after=stock_after, reason=reason)
                entry.pk, entry.created_at = entry_id, now
                entry._state.adding = False
                out.append((entry, product_id, outer_id))
    return out


def _take_then_ledger(takes: list[StockTake], *, reason: str) -> _Taken:
    """The same for the embedded SQLite (no UPDATE inside a WITH): UPDATE … RETURNING,
    then one insert for the ledger rows."""
    skus = table(Sku)
    sql = (
        f"UPDATE {skus} SET stock = stock - %s WHERE id = %s AND stock >= %s "  # noqa: S608
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
            entry = _taken_entry(take, stock_after=stock, reason=reason)
            out.append((entry, product_id, outer_id))
    StockEntry.objects.bulk_create([entry for entry, _product, _outer in out])
    return out


def stock_insufficient(sku_id: int, quantity: int) -> StockInsufficient:
    return StockInsufficient(_("Not enough stock."), extra={"sku_id": sku_id, "wanted": quantity})


def _short_or_unknown(sku_id: int, quantity: int) -> DomainError:
    if not Sku.objects.filter(pk=sku_id).exists():
        return NotFound(_("Unknown SKU."))
    return stock_insufficient(sku_id, quantity)


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
    skus = table(Sku)
    sql = (
        f"WITH old AS (SELECT id, stock FROM {skus} WHERE id = %s FOR UPDATE) "  # noqa: S608
        f"UPDATE {skus} AS s SET stock = s.stock - GREATEST(LEAST(old.stock, %s), 0) FROM old "
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
