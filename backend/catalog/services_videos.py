"""Product videos: a finished video file attached to a product by whoever made it.

The catalogue knows nothing of where a video came from: the caller names it by a
`source_ref` of its own, and attaching the same ref again replaces the file. Every change
publishes `product.updated` (changed: videos), so the storefront's cached detail refreshes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.core.files import File
from django.db import transaction

from backend.catalog.lock_objects import product_lock
from backend.catalog.models import ProductVideo
from backend.catalog.services import product_updated_publish


def video_attach(
    *, product_id: int, path: Path, title: str, duration_s: float, source_ref: str
) -> ProductVideo:
    """Copy the file at ``path`` (read in chunks, never whole) into storage and show it
    with the product. The file a replaced video had goes once the change commits."""
    with path.open("rb") as handle:
        stored = File(handle, name=f"{uuid.uuid4().hex}{path.suffix or '.mp4'}")
        with transaction.atomic():
            product = product_lock(product_id=product_id)
            video = ProductVideo.objects.filter(product=product, source_ref=source_ref).first()
            previous = video.file.name if video else None
            video = video or ProductVideo(product=product, source_ref=source_ref)
            video.title = title[:200]
            video.duration_s = duration_s
            video.size_bytes = path.stat().st_size
            video.file.save(stored.name, stored, save=False)
            video.save()
            product_updated_publish(product, ["videos"])
    if previous:
        transaction.on_commit(lambda: video.file.storage.delete(previous))
    return video


def video_detach(*, product_id: int, source_ref: str) -> bool:
    """Remove the video the caller attached under ``source_ref``; False when there was none."""
    with transaction.atomic():
        product = product_lock(product_id=product_id)
        video = ProductVideo.objects.filter(product=product, source_ref=source_ref).first()
        if video is None:
            return False
        name = video.file.name
        video.delete()
        product_updated_publish(product, ["videos"])
    transaction.on_commit(lambda: video.file.storage.delete(name))
    return True
