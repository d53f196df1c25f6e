"""The Celery app, bound to the Django settings (CELERY_* names)."""

from __future__ import annotations

import os

from celery import Celery
from kombu.entity import Queue

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
