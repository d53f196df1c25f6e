"""One product on one store: publish it, update what changed, or take it off sale."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from backend.catalog.models import Product, ProductStatus
from backend.stores.items import Built, MappingIncomplete, item_build
from backend.stores.models import (
    CategoryMapping,
    DeletedRemotely,
    JobKind,
    Listing,
    ListingSku,
    ListingState,
    Store,
)
from shop_connectors.errors import (
    AuthError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RemoteUnavailable,
)
from shop_connectors.interface import Connector
from shop_connectors.models import Item, JdMapping, ListedItem

# Taking an item off sale needs only its remote id; no client reads the mapping for it.
_NO_MAPPING = JdMapping(category_id=0, sku_sale_attrs={})


@dataclass(frozen=True)
class ItemOutcome:
    ok: bool
    writes: int
    error: str = ""
    platform_message: str = ""


class RetryLater(Exception):
    """Nothing final happened: the item goes back to the queue (or the store pauses)."""

    def __init__(self, message: str, *, wait: float = 0.0, auth_refused: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait
        self.auth_refused = auth_refused


class _Writes:
    def __init__(self) -> None:
        self.count = 0


def listing_sync(
    *,
    store: Store,
    product: Product,
    listing: Listing,
    mapping: CategoryMapping | None,
    client: Connector,
    kind: str,
    reread: bool,
    on_sale_remotely: frozenset[str] | None = None,
) -> ItemOutcome:
    """`reread`: the item was taken over from a run that may have sent it already.
    `on_sale_remotely`: the remote ids the platform lists on sale (read once per job run),
    so that an item deleted there by hand is found even when nothing here changed."""
    listing.product = product  # with its SKUs and images already loaded
    writes = _Writes()
    try:
        if kind == JobKind.DELIST or product.status != ProductStatus.ON_SALE:
            _delist(listing, client, writes)
            return ItemOutcome(ok=True, writes=writes.count)
        built = item_build(store=store, product=product, mapping=mapping, listing=listing)
        if _gone_remotely(listing, built, client, on_sale_remotely):
            _republish_or_mark(store, listing, built, client, writes)
        else:
            _publish_or_update(store, listing, built, client, writes, reread=reread)
        return ItemOutcome(ok=True, writes=writes.count)
    except MappingIncomplete as error:
        return _failed(listing, writes, error.message, "")
    except InvalidRequest as error:
        return _failed(listing, writes, _("The platform refused this product."), error.message)
    except NotFound as error:
        gone = _("The platform no longer has this item.")
        return _failed(listing, writes, gone, error.message, state=ListingState.FAILED)
    except AuthError as error:
        raise RetryLater(error.message, auth_refused=True) from None
    except RateLimited as error:
        raise RetryLater(error.message, wait=error.wait) from None
    except RemoteUnavailable as error:
        raise RetryLater(error.message, wait=error.retry_after or 1.0) from None


def _failed(
    listing: Listing, writes: _Writes, error: str, platform: str, *, state: str | None = None
) -> ItemOutcome:
    if state is None:
        state = ListingState.FAILED if not listing.remote_id else listing.state
    Listing.objects.filter(pk=listing.pk).update(
        state=state, last_error=error[:300], platform_message=platform[:300]
    )
    return ItemOutcome(ok=False, writes=writes.count, error=error, platform_message=platform)


def _publish_or_update(
    store: Store,
    listing: Listing,
    built: Built,
    client: Connector,
    writes: _Writes,
    *,
    reread: bool,
) -> None:
    if listing.remote_id:
        try:
            _update(listing, built, client, writes)
        except NotFound:
            _republish_or_mark(store, listing, built, client, writes)
        return
    _publish(
        listing, built, client, writes, reread=reread or listing.state == ListingState.PUBLISHING
    )


def _gone_remotely(
    listing: Listing, built: Built, client: Connector, on_sale: frozenset[str] | None
) -> bool:
    """A listed item the platform does not list on sale: deleted by hand, or only taken off
    sale there (looked up by outer id). Off sale there is put back on sale by the update,
    since the catalogue says it is on sale; deleted is for the merchant's choice."""
    checked = (ListingState.LISTED, ListingState.FAILED)  # failed: marked gone, maybe
    if on_sale is None or not listing.remote_id or listing.state not in checked:
        return False
    if listing.remote_id in on_sale:
        return False
    found = client.item_find(outer_id=built.item.outer_id)
    if found is not None and found.remote_id == listing.remote_id:
        if not found.on_sale:
            _save(listing, state=ListingState.OFF_SALE)
        return False
    return True


def _republish_or_mark(
    store: Store, listing: Listing, built: Built, client: Connector, writes: _Writes
) -> None:
    """Deleted on the platform by hand: publish it again, or mark it, as the merchant chose."""
    if store.deleted_remotely != DeletedRemotely.REPUBLISH:
        raise NotFound(_("Deleted on the platform."))
    listing.remote_id, listing.content_hash = "", ""
    listing.price_hash = listing.stock_hash = ""
    ListingSku.objects.filter(listing=listing).update(remote_sku_id="")
    built = replace(built, item=replace(built.item, remote_id=None))
    _publish(listing, built, client, writes, reread=False)


def _publish(
    listing: Listing, built: Built, client: Connector, writes: _Writes, *, reread: bool
) -> None:
    # Recorded before the call: a worker killed during it leaves this mark, and whoever
    # resumes reads the platform back before writing again.
    Listing.objects.filter(pk=listing.pk).update(state=ListingState.PUBLISHING)
    found = client.item_find(outer_id=built.item.outer_id) if reread else None
    if found is not None:
        _adopt(listing, built, found)
        return
    published = client.item_publish(item=built.item)
    writes.count += 1
    remote_skus = {s.outer_id: s.remote_id or "" for s in published.skus}
    _listed(listing, built, str(published.remote_id), remote_skus)


def _adopt(listing: Listing, built: Built, found: ListedItem) -> None:
    """A write that landed before a crash: take the platform's ids, write nothing."""
    remote_skus = {s.outer_id: s.remote_id for s in found.skus}
    _listed(listing, built, found.remote_id, remote_skus)


def _listed(listing: Listing, built: Built, remote_id: str, remote_skus: dict[str, str]) -> None:
    with transaction.atomic():
        listing.remote_id, listing.state = remote_id, ListingState.LISTED
        listing.content_hash, listing.price_hash = built.content_hash, built.price_hash
        listing.stock_hash, listing.last_error, listing.platform_message = built.stock_hash, "", ""
        listing.save()
        ListingSku.objects.bulk_create(
            [
                ListingSku(
                    listing=listing,
                    sku=sku,
                    remote_sku_id=remote_skus.get(sku.outer_id, ""),
                    pushed_stock=built.stocks.get(sku.outer_id),
                )
                for sku in listing.product.skus.all()
                if sku.is_active
            ],
            update_conflicts=True,
            unique_fields=["listing", "sku"],
            update_fields=["remote_sku_id", "pushed_stock"],
        )


def _update(listing: Listing, built: Built, client: Connector, writes: _Writes) -> None:
    item = built.item
    if listing.state == ListingState.OFF_SALE:
        client.item_on_sale(item=item)
        writes.count += 1
        _save(listing, state=ListingState.LISTED)
    if built.content_hash != listing.content_hash:
        client.item_update(item=item)
        writes.count += 1
        _save(listing, content_hash=built.content_hash)
    if built.price_hash != listing.price_hash:
        client.sku_prices_set(item=item, prices={s.outer_id: s.price for s in item.skus})
        writes.count += 1
        _save(listing, price_hash=built.price_hash)
    if built.stock_hash != listing.stock_hash:
        outer_of = {sku.pk: sku.outer_id for sku in listing.product.skus.all()}
        rows = [row for row in listing.skus.all() if row.sku_id in outer_of]
        changed = {
            outer_of[row.sku_id]: built.stocks[outer_of[row.sku_id]]
            for row in rows
            if row.pushed_stock != built.stocks.get(outer_of[row.sku_id])
        }
        if changed:
            client.sku_stocks_set(item=item, stocks=changed)
            writes.count += 1
            for row in rows:
                row.pushed_stock = built.stocks.get(outer_of[row.sku_id])
            ListingSku.objects.bulk_update(rows, ["pushed_stock"])
        _save(listing, stock_hash=built.stock_hash)
    if listing.state != ListingState.LISTED or listing.last_error or listing.platform_message:
        _save(listing, state=ListingState.LISTED, last_error="", platform_message="")


def _save(listing: Listing, **fields: str) -> None:
    for name, value in fields.items():
        setattr(listing, name, value)
    Listing.objects.filter(pk=listing.pk).update(**fields)


def _delist(listing: Listing, client: Connector, writes: _Writes) -> None:
    if not listing.remote_id or listing.state == ListingState.OFF_SALE:
        return
    # Only the platform's id matters to take an item off sale.
    bare = Item(
        outer_id="",
        title="",
        description="",
        skus=(),
        mapping=_NO_MAPPING,
        remote_id=listing.remote_id,
    )
    client.item_off_sale(item=bare)
    writes.count += 1
    _save(listing, state=ListingState.OFF_SALE)
