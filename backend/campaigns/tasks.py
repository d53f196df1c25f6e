"""Celery tasks of campaigns: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.campaigns.broadcast import boards_flush
from backend.campaigns.services_contest import contests_freeze_due


@shared_task(name="backend.campaigns.tasks.campaigns_boards_flush", ignore_result=True)
def campaigns_boards_flush() -> int:
    return boards_flush()


@shared_task(name="backend.campaigns.tasks.campaigns_freeze_due", ignore_result=True)
def campaigns_freeze_due() -> int:
    return contests_freeze_due()
