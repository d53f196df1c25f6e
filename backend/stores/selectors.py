"""Reads of the stores app that are more than one line."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from backend.stores.models import (
    CategoryMapping,
    ItemStatus,
    Listing,
    ListingState,
    Store,
    StoreOrder,
    StoreStatus,
    SyncJob,
)


def stores_with_counts(*, base: QuerySet[Store]) -> list[dict[str, Any]]:
    rows = (
        base.select_related("app", "organisation")
        .annotate(
            n_listed=Count("listings", filter=Q(listings__state=ListingState.LISTED)),
            n_failed=Count("listings", filter=Q(listings__state=ListingState.FAILED)),
            n_off=Count("listings", filter=Q(listings__state=ListingState.OFF_SALE)),
        )
        .order_by("id")
    )
    return [store_out(s) for s in rows]


def store_out(store: Store) -> dict[str, Any]:
    return {
        "id": store.pk,
        "platform": store.app.platform,
        "organisation_id": store.organisation_id,
        "organisation_name": store.organisation.name,
        "shop_id": store.shop_id,
        "shop_name": store.shop_name,
        "status": store.status,
        "status_reason": store.status_reason,
        "token_expires_at": store.token_expires_at,
        "last_sync_at": store.last_sync_at,
        "last_error": store.last_error,
        "freight_template_id": store.freight_template_id,
        "freight_template_name": store.freight_template_name,
        "safety_stock": store.safety_stock,
        "share_percent": store.share_percent,
        "deleted_remotely": store.deleted_remotely,
        "import_window_start": store.import_window_start,
        "import_window_end": store.import_window_end,
        "import_at": store.import_at,
        "import_error": store.import_error,
        # How far behind the platform our orders are: now minus the end of the last window.
        "import_lag_seconds": (
            int((timezone.now() - store.import_window_end).total_seconds())
            if store.import_window_end
            else None
        ),
        "listings": {
            "listed": getattr(store, "n_listed", 0),
            "failed": getattr(store, "n_failed", 0),
            "off_sale": getattr(store, "n_off", 0),
        },
    }


def mappings_of(*, store: Store) -> list[dict[str, Any]]:
    return [
        {
            "category_id": m.category_id,
            "category_name": m.category.name,
            "remote_category_id": m.remote_category_id,
            "remote_category_name": m.remote_category_name,
            "sale_attribute_id": m.sale_attribute_id,
            "sale_attribute_name": m.sale_attribute_name,
            "attributes": m.attributes,
            "spec_values": m.spec_values,
        }
        for m in CategoryMapping.objects.filter(store=store).select_related("category")
    ]


def listings_of(*, store: Store) -> QuerySet[Listing]:
    return Listing.objects.filter(store=store).select_related("product").order_by("product_id")


def listing_out(listing: Listing) -> dict[str, Any]:
    return {
        "product_id": listing.product_id,
        "product_title": listing.product.title,
        "product_status": listing.product.status,
        "state": listing.state,
        "remote_id": listing.remote_id,
        "last_error": listing.last_error,
        "platform_message": listing.platform_message,
    }


def job_out(job: SyncJob) -> dict[str, Any]:
    failures = job.items.filter(status=ItemStatus.FAILED).order_by("id")[:100]
    return {
        "id": job.pk,
        "store_id": job.store_id,
        "kind": job.kind,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "write_calls": job.write_calls,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "failures": [
            {
                "product_id": i.product_id,
                "status": i.status,
                "attempts": i.attempts,
                "write_calls": i.write_calls,
                "error": i.error,
                "platform_message": i.platform_message,
            }
            for i in failures
        ],
    }


def office_summary() -> dict[str, Any]:
    stores = (
        Store.objects.select_related("app", "organisation")
        .annotate(listed=Count("listings", filter=Q(listings__state=ListingState.LISTED)))
        .order_by("id")
    )
    rows = [
        {
            "id": s.pk,
            "platform": s.app.platform,
            "organisation_name": s.organisation.name,
            "shop_name": s.shop_name,
            "status": s.status,
            "listed": s.listed,
            "last_sync_at": s.last_sync_at,
        }
        for s in stores
    ]
    active = [r for r in rows if r["status"] == StoreStatus.ACTIVE]
    by_platform: dict[str, int] = {}
    for row in active:
        by_platform[row["platform"]] = by_platform.get(row["platform"], 0) + 1
    return {"stores": rows, "active_stores": len(active), "by_platform": by_platform}


def store_orders(*, store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """The store's imported orders, newest first, with their push state and after-sales."""
    rows = (
        StoreOrder.objects.filter(store=store)
        .select_related("order", "store__app")
        .prefetch_related("after_sales")
        .order_by("-id")[:limit]
    )
    return [store_order_out(f) for f in rows]


def store_order_of(*, stores: QuerySet[Store], order_id: int) -> dict[str, Any] | None:
    """One imported order (by our order id) of the stores given, or None."""
    fact = (
        StoreOrder.objects.filter(store__in=stores, order_id=order_id)
        .select_related("order", "store__app")
        .prefetch_related("after_sales")
        .first()
    )
    return None if fact is None else store_order_out(fact)


def store_order_out(f: StoreOrder) -> dict[str, Any]:
    return {
        "id": f.pk,
        "store_id": f.store_id,
        "platform": f.store.app.platform,
        "order_id": f.order_id,
        "order_number": f.order.number,
        "remote_id": f.remote_id,
        "remote_status": f.remote_status,
        "status": f.order.status,
        "status_unknown": f.order.status_unknown,
        "paid_amount": f.order.paid_amount,
        "refunded_amount": f.order.refunded_amount,
        "waybill_no": f.order.waybill_no,
        "stock_shortfall": f.order.stock_shortfall,
        "unmatched": f.unmatched,
        "push_status": f.push_status,
        "push_error": f.push_error,
        "after_sales": [
            {
                "remote_id": a.remote_id,
                "state": a.state,
                "amount": a.amount,
                "with_return": a.with_return,
                "reason": a.reason,
            }
            for a in f.after_sales.all()
        ],
    }
