"""One clip per explained product, cut from the replay and attached to the product as a
video through the catalogue (which publishes product.updated, so the shop shows it under
直播讲解). Each clip is its own job: one that fails keeps ffmpeg's stderr tail for staff
and leaves the others alone; staff may run it again.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.catalog.services_videos import video_attach
from backend.common.errors import Conflict
from backend.live.errors import LiveErrorCode
from backend.live.models_media import JobState, ProductClip
from backend.live.services_replay import replay_folder
from streaming import ClipSpan, FfmpegError, MediaError, clip_cut, keyframe_near, media_probe

log = logging.getLogger(__name__)


def clip_source_ref(session_id: int) -> str:
    """The catalogue's name for a session's clip of a product (one per product)."""
    return f"live-session:{session_id}"


def clip_work_path(clip: ProductClip, run: str) -> Path:
    """Where one run cuts a clip before the catalogue takes its copy: a file of its own in
    the product's folder, so a run that outlived its lease never removes another's file."""
    folder = replay_folder(clip.replay.session)
    return Path(default_storage.path(f"{folder}/clips/{clip.product_id}/{run}.mp4"))


def _claim(clip_id: int) -> datetime | None:
    """The clip for this run (its claim's time), or None when another run holds it."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.LIVE_MEDIA_JOB_LEASE_SECONDS)
    taken = ProductClip.objects.filter(
        Q(state__in=[JobState.PENDING, JobState.FAILED])
        | Q(state=JobState.PROCESSING, claimed_at__lt=stale),
        pk=clip_id,
        replay__state=JobState.READY,
    ).update(state=JobState.PROCESSING, claimed_at=now, attempts=F("attempts") + 1)
    return now if taken else None


def _cut(clip: ProductClip, target: Path) -> float:
    """Cut from the keyframe nearest the padded start (a stream copy starts on one) to the
    padded end; the file's duration."""
    source = Path(default_storage.path(clip.replay.video))
    start = keyframe_near(source=source, at_s=clip.start_s)
    target.parent.mkdir(parents=True, exist_ok=True)
    clip_cut(source=source, target=target, span=ClipSpan(start_s=start, end_s=clip.end_s))
    return media_probe(path=target).duration_s


def clip_make(*, clip_id: int) -> str:
    claimed = _claim(clip_id)
    if claimed is None:
        return "skipped"
    # Every outcome is written only while this run still holds the claim.
    mine = ProductClip.objects.filter(pk=clip_id, state=JobState.PROCESSING, claimed_at=claimed)
    clip = ProductClip.objects.select_related("replay__session", "product").get(pk=clip_id)
    target = clip_work_path(clip, run=uuid.uuid4().hex)
    try:
        duration = _cut(clip, target)
    except (MediaError, OSError) as exc:
        tail = exc.stderr_tail if isinstance(exc, FfmpegError) else str(exc)
        log.warning("clip %s failed: %s", clip_id, type(exc).__name__)
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        mine.update(state=JobState.FAILED, error=tail[-2000:], claimed_at=None)
        return JobState.FAILED
    session = clip.replay.session
    video = video_attach(
        product_id=clip.product_id,
        path=target,
        title=f"{session.title} · {clip.product.title}",
        duration_s=duration,
        source_ref=clip_source_ref(session.pk),
    )
    size = target.stat().st_size
    target.unlink()
    mine.update(
        state=JobState.READY,
        duration_s=duration,
        size_bytes=size,
        video=video,
        error="",
        claimed_at=None,
    )
    return JobState.READY


def clip_retry(*, clip: ProductClip) -> ProductClip:
    """Staff run a failed clip again (after fixing what its stderr tail says)."""
    if clip.state != JobState.FAILED:
        raise Conflict(
            _("Only a failed clip can be made again."), code=LiveErrorCode.CLIP_NOT_FAILED
        )
    from backend.live.tasks import media_clip_make

    media_clip_make.delay(clip.pk)
    return clip


def clips_resume() -> int:
    """Queue again clips a dead worker left (pending too long, or a lapsed lease)."""
    stale = timezone.now() - timedelta(seconds=settings.LIVE_MEDIA_JOB_LEASE_SECONDS)
    ids = list(
        ProductClip.objects.filter(
            Q(state=JobState.PENDING, replay__built_at__lt=stale)
            | Q(state=JobState.PROCESSING, claimed_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    from backend.live.tasks import media_clip_make

    for clip_id in ids:
        media_clip_make.delay(clip_id)
    return len(ids)
