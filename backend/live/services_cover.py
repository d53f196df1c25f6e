"""A session's cover: uploaded by its streamer, checked like every image, stored as one
portrait picture the size phones show in the live channel."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from backend.catalog import imaging
from backend.catalog.services_images import image_checked
from backend.live.models import LiveSession
from backend.live.services import session_update

# 3:4, as the live channels of the big platforms show a room's cover.
COVER = imaging.VariantSpec(
    name="live_cover", platform="own", width=720, height=960, max_bytes=300_000
)
_FOLDER = "live/covers/"


def _ours(url: str) -> str | None:
    """The storage name behind a cover URL this service stored, else None."""
    base = default_storage.url(_FOLDER)
    return url.removeprefix(base.removesuffix(_FOLDER)) if url.startswith(base) else None


def session_cover_set(*, session: LiveSession, data: bytes, filename: str) -> LiveSession:
    """Check, fit and store the picture, then point the session at it (only while it is not
    on air yet, like every edit). A refused picture or edit leaves no file behind."""
    _, cleaned = image_checked(data=data, filename=filename)
    cover = imaging.derive(data=cleaned, spec=COVER)
    name = default_storage.save(
        f"{_FOLDER}{session.public_id}-{uuid.uuid4().hex[:12]}.jpg", ContentFile(cover.bytes)
    )
    previous = _ours(session.cover_url)
    try:
        updated = session_update(session=session, changes={"cover_url": default_storage.url(name)})
    except Exception:
        default_storage.delete(name)
        raise
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return updated
