"""The Celery app, bound to the Django settings (CELERY_* names)."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger
from kombu.entity import Queue

from backend.common.logging import redact_handlers_of

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

app = Celery("qinshui")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("sync"), Queue("media"))
app.conf.task_default_queue = "default"
# Heavy work has its own queues: marketplace sync and media (ffmpeg, Pillow).
app.conf.task_routes = {"*.sync_*": {"queue": "sync"}, "*.media_*": {"queue": "media"}}
app.conf.task_acks_late = True
app.conf.task_reject_on_worker_lost = True
app.conf.worker_prefetch_multiplier = 1
# Every installed app's tasks.py; the beat schedule is what the apps declared, set once
# Django is ready (backend/common/apps.py), before beat reads it.
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger: logging.Logger, **kwargs: Any) -> None:
    """Celery replaces the root logger's handlers (and the redaction filter on them) when a
    worker or beat starts: put the filter back on what it installed."""
    redact_handlers_of(logger)
