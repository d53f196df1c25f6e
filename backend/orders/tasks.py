from __future__ import annotations

from celery import shared_task

from backend.orders.services import orders_auto_confirm as _auto_confirm
from backend.orders.services_payment import orders_expire_unpaid as _expire


@shared_task(name="backend.orders.tasks.orders_expire_unpaid")
def orders_expire_unpaid() -> int:
    return _expire()


@shared_task(name="backend.orders.tasks.orders_auto_confirm")
def orders_auto_confirm() -> int:
    return _auto_confirm()
