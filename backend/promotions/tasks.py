"""Celery tasks of promotions: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.promotions.services_lottery import lotteries_draw_due


@shared_task(name="backend.promotions.tasks.lotteries_draw_due", ignore_result=True)
def promotions_lotteries_draw_due() -> int:
    return lotteries_draw_due()
