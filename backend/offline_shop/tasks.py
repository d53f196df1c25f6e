"""The offline shop's periodic work."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from backend.offline_shop.services_sale import qr_payments_expire


@shared_task
def qr_payments_expire_due() -> int:
    return qr_payments_expire(older_than_s=settings.SHOP_QR_EXPIRE_SECONDS)
