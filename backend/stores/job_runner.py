"""Running a sync job: items claimed in small batches (one UPDATE with a lease), their
products, listings and mappings loaded in bulk, each item sent and recorded on its own (a
finished item is never sent again), progress pushed to the merchant at most twice a second.

The batches are pipelined: the next one is claimed and loaded while the current one is on
the wire, and the first one is small, so the platform's limit (not our database) paces the
calls from the first second to the last (bench_stores measures it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.stores.connectors import store_connector
from backend.stores.models import (
    CategoryMapping,
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
from backend.stores.services import members_notify, store_needs_reauthorisation
from backend.stores.sync_item import ItemOutcome, RetryLater, listing_sync
from shop_connectors.errors import AuthError, RateLimited, RemoteUnavailable
from shop_connectors.interface import Connector

log = logging.getLogger(__name__)

BATCH = 50
FIRST_BATCH = 8  # calls start as soon as a few items are loaded
PUSH_EVERY = 0.5  # seconds between two progress frames of one job


def _claim_batch(job_id: int, size: int = BATCH) -> list[SyncItem]:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.STORES_ITEM_LEASE_SECONDS)
    claimable = Q(status=ItemStatus.PENDING) | Q(status=ItemStatus.SENDING, claimed_until__lt=now)
    with transaction.atomic():
        ids = list(
            SyncItem.objects.select_for_update(skip_locked=True)
            .filter(claimable, job_id=job_id)
            .order_by("id")
            .values_list("pk", flat=True)[:size]
        )
        # The condition again: a database without row locks (SQLite) still claims once.
        SyncItem.objects.filter(claimable, pk__in=ids).update(
            status=ItemStatus.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    return list(
        SyncItem.objects.filter(pk__in=ids, claimed_until=lease)
        .select_related("product__category")
        .prefetch_related("product__skus", "product__images")
        .order_by("id")
    )


def _listings(store: Store, items: list[SyncItem]) -> dict[int, Listing]:
    product_ids = [i.product_id for i in items]
    Listing.objects.bulk_create(
        [Listing(store=store, product_id=pk) for pk in product_ids], ignore_conflicts=True
    )
    rows = Listing.objects.filter(store=store, product_id__in=product_ids).prefetch_related("skus")
    return {row.product_id: row for row in rows}


def _on_sale_remotely(job: SyncJob, client: Connector) -> frozenset[str] | None:
    """The remote ids the platform lists on sale, read once per run of a publish job whose
    products are listed there already (reads only: an unchanged catalogue still costs zero
    writes). None when there is nothing to check or the platform cannot say right now."""
    if job.kind != JobKind.PUBLISH:
        return None
    listed = Listing.objects.filter(
        store_id=job.store_id,
        state__in=[ListingState.LISTED, ListingState.FAILED],
        product_id__in=SyncItem.objects.filter(job_id=job.pk).values("product_id"),
    ).exclude(remote_id="")
    if not listed.exists():
        return None
    try:
        return frozenset(item.remote_id for item in client.items_iter())
    except (RemoteUnavailable, RateLimited, AuthError) as error:
        log.warning("store %s: on-sale list unreadable, no deletion check: %s", job.store_id, error)
        return None


class _Run:
    def __init__(self, job: SyncJob) -> None:
        self.job = job
        self.store = job.store
        self.client = store_connector(store=job.store)
        self.mappings = {m.category_id: m for m in CategoryMapping.objects.filter(store=job.store)}
        self.retry_in: float | None = None
        self.pushed_at = 0.0
        self.results: list[dict[str, object]] = []
        self.lock = threading.Lock()
        self.stop = False
        self.on_sale_remotely = _on_sale_remotely(job, self.client)

    def one(self, item: SyncItem, listing: Listing) -> None:
        if self.stop or not self.item(item, listing):
            self.stop = True
            _release([item.pk])

    def pipeline(self, claim: Callable[[int], list[SyncItem]]) -> None:
        """Send every claimable item, several at once when STORES_SYNC_CONCURRENCY > 1 (the
        platform's limit, shared through Redis, then paces the calls, not our round trips).
        The next batch is claimed while the last one's items are still being sent."""
        threads = settings.STORES_SYNC_CONCURRENCY
        if threads <= 1:
            while not self.stop and (items := claim(BATCH)):
                listings = _listings(self.store, items)
                for item in items:
                    self.one(item, listings[item.product_id])
            return

        def threaded(item: SyncItem, listing: Listing) -> None:
            try:
                self.one(item, listing)
            finally:
                connection.close()  # this thread's own connection, back to the pool

        in_flight: set[Future[None]] = set()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            size = FIRST_BATCH
            while not self.stop and (items := claim(size)):
                listings = _listings(self.store, items)
                in_flight |= {pool.submit(threaded, i, listings[i.product_id]) for i in items}
                # Claim the next batch once the queue is down to a few items per thread.
                while len(in_flight) > 2 * threads:
                    _done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                size = BATCH
            wait(in_flight)
        for future in in_flight:
            future.result()  # an unexpected error fails the task, as before
        close_old_connections()

    def item(self, item: SyncItem, listing: Listing) -> bool:
        """Send one item; False when the job must stop (the token was refused)."""
        try:
            outcome = listing_sync(
                store=self.store,
                product=item.product,
                listing=listing,
                mapping=self.mappings.get(item.product.category_id),
                client=self.client,
                kind=self.job.kind,
                reread=item.attempts > 1,
                on_sale_remotely=self.on_sale_remotely,
            )
        except RetryLater as later:
            if later.auth_refused:
                store_needs_reauthorisation(store=self.store, platform_message=later.message)
                _release([item.pk])
                return False
            if item.attempts < settings.STORES_ITEM_MAX_ATTEMPTS:
                _release([item.pk])
                with self.lock:
                    self.retry_in = max(self.retry_in or 0, later.wait)
                return True
            outcome = ItemOutcome(
                ok=False,
                writes=0,
                error=_("The platform did not answer; try again later."),
                platform_message=later.message,
            )
        _finish(item, outcome)
        with self.lock:
            self.results.append(
                {
                    "product_id": item.product_id,
                    "ok": outcome.ok,
                    "error": outcome.error,
                    "platform_message": outcome.platform_message,
                }
            )
            if not outcome.ok or time.monotonic() - self.pushed_at >= PUSH_EVERY:
                self.push()
        return True

    def push(self) -> None:
        job = _counted(self.job.pk)
        members_notify(
            organisation_id=self.store.organisation_id,
            event_type="stores.job",
            payload={
                "job_id": job.pk,
                "store_id": job.store_id,
                "kind": job.kind,
                "status": job.status,
                "total": job.total,
                "done": job.done,
                "failed": job.failed,
                "items": self.results,
            },
        )
        self.results = []
        self.pushed_at = time.monotonic()


def sync_job_run(*, job_id: int) -> float | None:
    """Run what is left of a job. Returns a delay after which to run it again, or None."""
    job = SyncJob.objects.select_related("store__app").get(pk=job_id)
    if job.store.status != StoreStatus.ACTIVE:
        SyncJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
            status=JobStatus.PAUSED
        )
        return None
    SyncJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.PAUSED]).update(
        status=JobStatus.RUNNING
    )
    run = _Run(job)
    run.pipeline(lambda size: _claim_batch(job_id, size))
    if run.stop:  # the token was refused: the store waits for re-authorisation
        SyncJob.objects.filter(pk=job_id).update(status=JobStatus.PAUSED)
        run.push()
        return None
    if run.retry_in is None:
        _close(job_id)
    run.push()
    return run.retry_in


def _release(item_ids: list[int]) -> None:
    SyncItem.objects.filter(pk__in=item_ids, status=ItemStatus.SENDING).update(
        status=ItemStatus.PENDING, claimed_until=None
    )


def _finish(item: SyncItem, outcome: ItemOutcome) -> None:
    SyncItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DONE if outcome.ok else ItemStatus.FAILED,
        write_calls=F("write_calls") + outcome.writes,
        error=outcome.error[:300],
        platform_message=outcome.platform_message[:300],
        finished_at=timezone.now(),
    )


def _counted(job_id: int) -> SyncJob:
    """The job with its counters brought up to date from its items (one query each)."""
    totals = SyncItem.objects.filter(job_id=job_id).aggregate(
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        failed=Count("pk", filter=Q(status=ItemStatus.FAILED)),
        writes=Sum("write_calls"),
    )
    SyncJob.objects.filter(pk=job_id).update(
        done=totals["done"], failed=totals["failed"], write_calls=totals["writes"] or 0
    )
    return SyncJob.objects.get(pk=job_id)


def _close(job_id: int) -> None:
    left = SyncItem.objects.filter(job_id=job_id).exclude(
        status__in=[ItemStatus.DONE, ItemStatus.FAILED]
    )
    if left.exists():
        return
    _counted(job_id)  # the counters are final before anyone sees the job done
    now = timezone.now()
    if (
        SyncJob.objects.filter(pk=job_id)
        .exclude(status=JobStatus.DONE)
        .update(status=JobStatus.DONE, finished_at=now)
    ):
        Store.objects.filter(jobs__pk=job_id).update(last_sync_at=now)
