"""Keeping recordings, replays and clips as the rules ask, and the office's storage report.

Live-commerce rules ask platforms to keep what was broadcast for at least three years:
LIVE_MEDIA_RETENTION_DAYS (3 years and a day by default) sets `keep_until` on every
recording and replay when it is made, and the daily sweep deletes only files past it. Clips
live on as product videos in the catalogue (its own to remove), never swept here.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from backend.live.models import Recording
from backend.live.models_media import ProductClip, Replay
from backend.live.services_replay import replay_folder

log = logging.getLogger(__name__)


def retention_sweep() -> int:
    """Delete the files of recordings and replays whose keep_until has passed; the rows
    stay (with deleted_at) so the report and the timeline still say they existed."""
    now = timezone.now()
    swept = 0
    for recording in Recording.objects.filter(keep_until__lt=now, deleted_at=None):
        Path(recording.path).unlink(missing_ok=True)
        Recording.objects.filter(pk=recording.pk).update(deleted_at=now)
        swept += 1
    for replay in Replay.objects.filter(keep_until__lt=now, deleted_at=None).select_related(
        "session"
    ):
        shutil.rmtree(default_storage.path(replay_folder(replay.session)), ignore_errors=True)
        Replay.objects.filter(pk=replay.pk).update(deleted_at=now)
        swept += 1
    if swept:
        log.info("retention: deleted the files of %s recordings and replays", swept)
    return swept


@dataclass(frozen=True)
class MonthUsage:
    month: str  # YYYY-MM in the site's time zone (Asia/Shanghai)
    recordings: int
    recording_bytes: int
    replay_bytes: int
    clip_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.recording_bytes + self.replay_bytes + self.clip_bytes


@dataclass(frozen=True)
class StorageReport:
    retention_days: int
    months: list[MonthUsage]
    oldest_at: datetime | None  # the oldest recording still kept
    oldest_session_id: int | None
    total_bytes: int


def _by_month(rows: object) -> dict[str, tuple[int, int]]:
    return {
        r["month"].strftime("%Y-%m"): (r["n"], r["bytes"] or 0)
        for r in rows  # type: ignore[attr-defined]
        if r["month"] is not None
    }


def storage_report() -> StorageReport:
    """Size per month (by when the recording finished), and the oldest item still kept."""
    recordings = Recording.objects.filter(deleted_at=None)
    rec = _by_month(
        recordings.annotate(month=TruncMonth("finished_at"))
        .values("month")
        .annotate(n=Count("id"), bytes=Sum("size_bytes"))
    )
    rep = _by_month(
        Replay.objects.filter(deleted_at=None, built_at__isnull=False)
        .annotate(month=TruncMonth("built_at"))
        .values("month")
        .annotate(n=Count("id"), bytes=Sum("size_bytes"))
    )
    clips = _by_month(
        ProductClip.objects.filter(replay__built_at__isnull=False)
        .annotate(month=TruncMonth("replay__built_at"))
        .values("month")
        .annotate(n=Count("id"), bytes=Sum("size_bytes"))
    )
    months = [
        MonthUsage(
            month=month,
            recordings=rec.get(month, (0, 0))[0],
            recording_bytes=rec.get(month, (0, 0))[1],
            replay_bytes=rep.get(month, (0, 0))[1],
            clip_bytes=clips.get(month, (0, 0))[1],
        )
        for month in sorted(set(rec) | set(rep) | set(clips))
    ]
    first = recordings.order_by("finished_at", "id").first()
    return StorageReport(
        retention_days=settings.LIVE_MEDIA_RETENTION_DAYS,
        months=months,
        oldest_at=first.finished_at if first else None,
        oldest_session_id=first.session_id if first else None,
        total_bytes=sum(m.total_bytes for m in months),
    )
