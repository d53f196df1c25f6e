"""Celery tasks of the stores app: thin, ids in, a service call. `sync_*` names run on the
`sync` queue (worker/celery.py routes them)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from backend.stores import job_runner, services, services_orders, services_sync, stock_debounce


@shared_task(name="backend.stores.tasks.sync_job_run", acks_late=True)
def sync_job_run(job_id: int) -> None:
    retry_in = job_runner.sync_job_run(job_id=job_id)
    if retry_in is not None:
        sync_job_run.apply_async((job_id,), countdown=retry_in, queue=settings.STORES_SYNC_QUEUE)


@shared_task(name="backend.stores.tasks.sync_stock_flush")
def sync_stock_flush(store_id: int) -> int:
    return stock_debounce.stock_flush(store_id=store_id)


@shared_task(name="backend.stores.tasks.tokens_refresh")
def tokens_refresh() -> int:
    return services.stores_tokens_refresh()


@shared_task(name="backend.stores.tasks.sync_jobs_resume")
def sync_jobs_resume() -> int:
    return services_sync.sync_jobs_resume()


@shared_task(name="backend.stores.tasks.orders_import")
def orders_import() -> int:
    return services_orders.stores_orders_import()


@shared_task(name="backend.stores.tasks.shipment_push", bind=True, max_retries=None)
def shipment_push(self, store_order_id: int) -> None:  # type: ignore[no-untyped-def]
    retry_in = services_orders.shipment_push(store_order_id=store_order_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
