"""Celery worker package: `celery -A worker worker -Q default,sync,media`."""

from worker.celery import app as celery_app

__all__ = ["celery_app"]
