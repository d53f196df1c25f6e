"""Celery tasks of the audience: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.audience.services import reminders_send


@shared_task(name="backend.audience.tasks.audience_reminders_send", ignore_result=True)
def audience_reminders_send() -> int:
    run = reminders_send()
    return run.sent + run.told_cancelled
