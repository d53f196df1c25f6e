"""Stock changes reach the stores debounced: a burst of `sku.stock_changed` for one store
becomes one stock job after a quiet moment, with every product touched meanwhile.

The pending products of a store live in a Redis set; the first change arms a timer (SET NX
with expiry) that schedules one flush. The flush takes the set atomically (RENAME), so a
change arriving during a flush lands in the next one."""

from __future__ import annotations

import redis
from django.conf import settings

from backend.common.prepared import prepared_cursor, table
from backend.common.redis_client import redis_client
from backend.stores.models import JobKind, Listing, ListingState, Store, StoreStatus
from backend.stores.services_sync import sync_job_start


def _keys(store_id: int) -> tuple[str, str]:
    base = f"{settings.REDIS_PREFIX}:stores:stock:{store_id}"
    return base, base + ":armed"


# A crowd's checkouts send one stock event each; compiling this lookup through the ORM cost
# the worker about a millisecond per event (profiled). The text is fixed, so it is written
# once and prepared (backend/common/prepared.py).
_LISTING_STORES = (
    f"SELECT l.store_id FROM {table(Listing)} l "  # noqa: S608 (tables from models)
    f"JOIN {table(Store)} s ON s.id = l.store_id "
    "WHERE l.product_id = %s AND l.state = %s AND s.status = %s ORDER BY l.store_id"
)


def listing_stores(*, product_id: int) -> list[int]:
    """Ids of the active stores where the product is listed."""
    with prepared_cursor() as cursor:
        cursor.execute(_LISTING_STORES, [product_id, ListingState.LISTED, StoreStatus.ACTIVE])
        return [row[0] for row in cursor.fetchall()]


def stock_changed(*, product_id: int) -> int:
    """Queue the product on every active store listing it; returns how many stores."""
    from backend.stores.tasks import sync_stock_flush

    store_ids = listing_stores(product_id=product_id)
    client = redis_client()
    delay = settings.STORES_STOCK_DEBOUNCE_SECONDS
    for store_id in store_ids:
        pending, armed = _keys(store_id)
        client.sadd(pending, product_id)
        if client.set(armed, 1, nx=True, px=int(delay * 1000) + 1000):
            sync_stock_flush.apply_async(
                (store_id,), countdown=delay, queue=settings.STORES_SYNC_QUEUE
            )
    return len(store_ids)


def stock_flush(*, store_id: int) -> int:
    """Start one stock job with what accumulated; returns its number of products."""
    pending, armed = _keys(store_id)
    client = redis_client()
    taking = pending + ":taking"
    client.delete(armed)
    try:
        client.rename(pending, taking)
    except redis.ResponseError:  # nothing pending
        return 0
    product_ids = sorted(int(x) for x in client.smembers(taking))
    client.delete(taking)
    store = Store.objects.select_related("app").filter(pk=store_id).first()
    if store is None or store.status != StoreStatus.ACTIVE or not product_ids:
        return 0
    sync_job_start(store=store, kind=JobKind.STOCK, product_ids=product_ids)
    return len(product_ids)
