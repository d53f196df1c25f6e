"""The one beat schedule of the platform. Each entry names a thin task."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "events-sweep": {
        "task": "backend.common.tasks.events_sweep",
        "schedule": 30.0,
    },
    "expire-unpaid-orders": {
        "task": "backend.orders.tasks.orders_expire_unpaid",
        "schedule": 60.0,
    },
    "auto-confirm-shipped-orders": {
        "task": "backend.orders.tasks.orders_auto_confirm",
        "schedule": crontab(minute=35),
    },
    "unpublish-expired-licences": {
        "task": "backend.catalog.tasks.licences_expired_unpublish",
        "schedule": crontab(minute=5, hour=0),
    },
    "purge-expired-phone-codes": {
        "task": "backend.accounts.tasks.phone_codes_purge",
        "schedule": crontab(minute=17),
    },
}
