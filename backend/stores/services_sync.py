"""Sync jobs: publish, update by hash, stock and delisting, one item (product) at a time.

Running a job: backend/stores/job_runner.py. Rules (docs/decisions/0105-store-sync-jobs.md):
* an item is claimed by a conditional UPDATE with a lease; two runs of one job never send the
  same item, and a dead worker's item is taken over once its lease has passed;
* an item taken over, or a listing left "publishing", is read back from the platform before
  any write: a write that landed before a crash is adopted, never sent again;
* each part (content, prices, stock, sale status) is written only when its hash changed, so
  an unchanged catalogue costs zero write calls;
* a refused item fails with the reason and the job goes on; a refused token pauses the job
  and turns the store to re-authorise; an unavailable platform leaves the item for a retry.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import Product, ProductStatus
from backend.common.errors import Conflict
from backend.stores.errors import StoreErrorCode
from backend.stores.models import (
    ItemStatus,
    JobKind,
    JobStatus,
    Listing,
    ListingState,
    Store,
    StoreStatus,
    SyncItem,
    SyncJob,
)

log = logging.getLogger(__name__)


def sync_job_start(
    *, store: Store, kind: str, product_ids: list[int], by: User | None = None
) -> SyncJob:
    """A job over the given products of the store's organisation; queued after commit."""
    if store.status != StoreStatus.ACTIVE:
        raise Conflict(
            _("The store is not active (%(status)s).") % {"status": store.get_status_display()},
            code=StoreErrorCode.NOT_ACTIVE,
        )
    products = Product.objects.filter(pk__in=product_ids, seller_id=store.organisation_id)
    ids = sorted(set(products.values_list("pk", flat=True)))
    with transaction.atomic():
        job = SyncJob.objects.create(store=store, kind=kind, total=len(ids), created_by=by)
        SyncItem.objects.bulk_create(SyncItem(job=job, product_id=pk) for pk in ids)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int, countdown: float = 0) -> None:
    from backend.stores.tasks import sync_job_run

    sync_job_run.apply_async((job_id,), countdown=countdown, queue=settings.STORES_SYNC_QUEUE)


def sync_jobs_requeue(*, store_id: int) -> None:
    """The store is active again: its paused jobs are queued (after commit)."""
    paused = SyncJob.objects.filter(store_id=store_id, status=JobStatus.PAUSED)
    ids = list(paused.values_list("pk", flat=True))
    paused.update(status=JobStatus.QUEUED)
    for job_id in ids:
        transaction.on_commit(partial(_enqueue, job_id))


def sync_jobs_resume() -> int:
    """Beat: queue again every open job nobody is working on (its worker died and its task
    with it). A job queued twice is harmless: items are claimed one by one."""
    now = timezone.now()
    busy = SyncItem.objects.filter(
        job=OuterRef("pk"), status=ItemStatus.SENDING, claimed_until__gte=now
    )
    quiet_since = now - timedelta(seconds=settings.STORES_ITEM_LEASE_SECONDS)
    jobs = SyncJob.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], created_at__lt=quiet_since
    ).exclude(Exists(busy))
    ids = list(jobs.values_list("pk", flat=True))
    for job_id in ids:
        _enqueue(job_id)
    return len(ids)


def listings_to_delist(*, product_id: int) -> list[Listing]:
    return list(
        Listing.objects.filter(product_id=product_id, state=ListingState.LISTED)
        .select_related("store")
        .filter(store__status=StoreStatus.ACTIVE)
    )


def product_delist_everywhere(*, product_id: int, status: str) -> int:
    """`product.updated` to off sale or recalled: one delist job per store listing it."""
    if status not in (ProductStatus.OFF_SALE, ProductStatus.RECALLED):
        return 0
    listings = listings_to_delist(product_id=product_id)
    for listing in listings:
        sync_job_start(store=listing.store, kind=JobKind.DELIST, product_ids=[product_id])
    return len(listings)
