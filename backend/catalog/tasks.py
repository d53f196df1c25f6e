from __future__ import annotations

from celery import shared_task

from backend.catalog.services import products_expired_licence_unpublish
from backend.catalog.services_images import image_derive


# The name starts with media_: routed to the `media` queue (worker/celery.py).
@shared_task(name="backend.catalog.tasks.media_image_derive")
def media_image_derive(image_id: int) -> str:
    return image_derive(image_id=image_id)


@shared_task(name="backend.catalog.tasks.licences_expired_unpublish")
def licences_expired_unpublish() -> int:
    return products_expired_licence_unpublish()
