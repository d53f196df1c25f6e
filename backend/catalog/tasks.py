from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from backend.catalog.services import products_expired_licence_unpublish
from backend.catalog.services_images import (
    ImageStorageUnavailable,
    image_derive,
    image_derive_give_up,
)
from backend.common.retry import retry_or_give_up


# The name starts with media_: routed to the `media` queue (worker/celery.py).
@shared_task(
    bind=True,
    name="backend.catalog.tasks.media_image_derive",
    max_retries=settings.MEDIA_MAX_RETRIES,
)
def media_image_derive(self: Any, image_id: int) -> str:
    """Derive the variants; while the file storage is unavailable, retry with bounded
    backoff, then mark the image failed."""
    try:
        return image_derive(image_id=image_id)
    except ImageStorageUnavailable as exc:
        tries = self.request.retries + 1
        return retry_or_give_up(
            self,
            exc,
            base=settings.MEDIA_RETRY_BASE_SECONDS,
            cap=settings.MEDIA_RETRY_MAX_SECONDS,
            give_up=lambda: image_derive_give_up(image_id=image_id, tries=tries),
        )


@shared_task(name="backend.catalog.tasks.licences_expired_unpublish")
def licences_expired_unpublish() -> int:
    return products_expired_licence_unpublish()
