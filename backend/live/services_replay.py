"""The replay (回放): once a session has ended and nginx has handed over its recordings,
the media queue joins what was on air into one MP4 (faststart), picks a cover, makes
thumbnails and sets a chapter at every 讲解; each explained product then gets a clip
(services_clips). Every file step is ffmpeg streaming from disk to disk: a 4-hour
recording is never read into memory.

Jobs are safe to run twice and at once: a job claims the row (a lease of
LIVE_MEDIA_JOB_LEASE_SECONDS); a second run finds it claimed or already built from the same
recordings and does nothing; a job that died is taken over once its lease ran out
(`replays_resume`, a beat entry).
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backend.live.models import LiveSession, Recording
from backend.live.models import SessionState as S
from backend.live.models_media import JobState, ProductClip, Replay, ReplayChapter
from backend.live.replay_timeline import Piece, Stretch, replay_offset, stretches_on_air
from streaming import (
    FfmpegError,
    JoinPiece,
    MediaError,
    cover_pick,
    keyframe_near,
    media_probe,
    pieces_join,
    recording_remux,
    thumbnails_make,
)

log = logging.getLogger(__name__)


def replay_folder(session: LiveSession) -> str:
    """The storage folder of a session's replay files (named by the public id)."""
    return f"live/replays/{session.public_id}"


def _path(name: str) -> Path:
    return Path(default_storage.path(name))


def _keep_until() -> datetime:
    return timezone.now() + timedelta(days=settings.LIVE_MEDIA_RETENTION_DAYS)


def replay_request(*, session_id: int) -> None:
    """After commit, queue the replay job if the session is over and has a recording; the
    row appears now (state pending), so viewers see "processing" at once."""
    session = LiveSession.objects.filter(pk=session_id, state=S.ENDED).first()
    if session is None or session.publishing or not session.recordings.exists():
        return
    try:
        with transaction.atomic():
            Replay.objects.get_or_create(session=session, defaults={"keep_until": _keep_until()})
    except IntegrityError:
        pass  # made at the same moment by another hook: the same row

    def later() -> None:
        from backend.live.tasks import media_replay_build

        media_replay_build.delay(session_id)

    transaction.on_commit(later)


def _claim(*, replay: Replay, recordings: int) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.LIVE_MEDIA_JOB_LEASE_SECONDS)
    claimable = (
        Q(state__in=[JobState.PENDING, JobState.FAILED])
        | Q(state=JobState.PROCESSING, claimed_at__lt=stale)
        | Q(state=JobState.PROCESSING, claimed_at__isnull=True)
        | (Q(state=JobState.READY) & ~Q(recordings=recordings))
    )
    updated = Replay.objects.filter(claimable, pk=replay.pk).update(
        state=JobState.PROCESSING, claimed_at=now
    )
    return bool(updated)


@dataclass(frozen=True)
class Built:
    stretches: list[Stretch]
    duration_s: float
    size_bytes: int
    thumbnails: int


def _pieces(*, recordings: list[Recording], work: Path) -> list[tuple[Piece, Path]]:
    """Each FLV remuxed to an MP4 (indexed: exact length, seekable); its first frame's wall
    time is when nginx said it finished minus its length."""
    out = []
    for index, recording in enumerate(recordings):
        piece_path = recording_remux(source=Path(recording.path), target=work / f"{index}.mp4")
        length = media_probe(path=piece_path).duration_s
        Recording.objects.filter(pk=recording.pk).update(
            duration_s=length,
            size_bytes=Path(recording.path).stat().st_size,
            keep_until=recording.keep_until or _keep_until(),
        )
        start = recording.finished_at - timedelta(seconds=length)
        out.append((Piece(index=index, wall_start=start, duration_s=length), piece_path))
    return out


def _files_build(*, session: LiveSession, recordings: list[Recording]) -> Built:
    folder = _path(replay_folder(session))
    work = folder / "work"
    work.mkdir(parents=True, exist_ok=True)
    try:
        made = _pieces(recordings=recordings, work=work)
        paths = {piece.index: path for piece, path in made}
        assert session.started_at is not None and session.ended_at is not None
        stretches = stretches_on_air(
            pieces=[piece for piece, _ in made],
            on_air_from=session.started_at,
            on_air_to=session.ended_at,
            snap=lambda piece, at_s: keyframe_near(source=paths[piece.index], at_s=at_s),
        )
        if not stretches:
            raise MediaError("no recording covers the time on air")
        video = pieces_join(
            pieces=[
                JoinPiece(path=paths[s.piece.index], inpoint_s=s.inpoint_s, outpoint_s=s.outpoint_s)
                for s in stretches
            ],
            target=folder / "replay.mp4",
            seconds_of_media=sum(s.outpoint_s - s.inpoint_s for s in stretches),
            list_file=work / "join.ffconcat",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cover_pick(source=video, target=folder / "cover.jpg")
    shutil.rmtree(folder / "thumbs", ignore_errors=True)
    thumbs = thumbnails_make(source=video, folder=folder / "thumbs")
    return Built(
        stretches=stretches,
        duration_s=media_probe(path=video).duration_s,
        size_bytes=video.stat().st_size,
        thumbnails=len(thumbs),
    )


def _chapters_save(*, replay: Replay, session: LiveSession, built: Built) -> None:
    """A chapter per 讲解; a pending clip per explained product, from its longest one."""
    replay.chapters.all().delete()
    explanations = session.explanations.select_related("item__sku__product")
    longest: dict[int, ReplayChapter] = {}
    for explanation in explanations:
        product = explanation.item.sku.product
        ended = explanation.ended_at or session.ended_at
        assert ended is not None
        start = replay_offset(stretches=built.stretches, at=explanation.started_at)
        end = min(replay_offset(stretches=built.stretches, at=ended), built.duration_s)
        if end - start < 0.5:
            continue
        chapter = ReplayChapter.objects.create(
            replay=replay,
            explanation=explanation,
            product=product,
            title=product.title,
            start_s=round(start, 2),
            end_s=round(end, 2),
        )
        best = longest.get(product.pk)
        if best is None or chapter.end_s - chapter.start_s > best.end_s - best.start_s:
            longest[product.pk] = chapter
    pad = settings.LIVE_CLIP_PADDING_SECONDS
    for product_id, chapter in longest.items():
        ProductClip.objects.update_or_create(
            replay=replay,
            product_id=product_id,
            defaults={
                "explanation_id": chapter.explanation_id,
                "start_s": max(0.0, chapter.start_s - pad),
                "end_s": min(built.duration_s, chapter.end_s + pad),
                "state": JobState.PENDING,
                "claimed_at": None,
            },
        )


def replay_build(*, session_id: int) -> str:
    """Build (or rebuild, after a late recording) the session's replay; the clips follow
    as their own jobs. Returns what happened, for the task's result."""
    session = LiveSession.objects.filter(pk=session_id).first()
    replay = Replay.objects.filter(session_id=session_id).first()
    if session is None or replay is None or session.state != S.ENDED or session.publishing:
        return "waiting"
    recordings = list(session.recordings.filter(deleted_at=None).order_by("finished_at", "id"))
    if not recordings or not _claim(replay=replay, recordings=len(recordings)):
        return "skipped"
    try:
        built = _files_build(session=session, recordings=recordings)
    except MediaError as exc:
        tail = exc.stderr_tail if isinstance(exc, FfmpegError) else str(exc)
        log.warning("replay of session %s failed: %s", session_id, type(exc).__name__)
        Replay.objects.filter(pk=replay.pk).update(
            state=JobState.FAILED, error=tail[-2000:], claimed_at=None
        )
        return JobState.FAILED
    folder = replay_folder(session)
    with transaction.atomic():
        replay = Replay.objects.select_for_update().get(pk=replay.pk)
        replay.state = JobState.READY
        replay.video = f"{folder}/replay.mp4"
        replay.cover = f"{folder}/cover.jpg"
        replay.thumbnails = built.thumbnails
        replay.duration_s = built.duration_s
        replay.size_bytes = built.size_bytes
        replay.recordings = len(recordings)
        replay.error = ""
        replay.claimed_at = None
        replay.built_at = timezone.now()
        replay.save()
        _chapters_save(replay=replay, session=session, built=built)
        clip_ids = list(replay.clips.values_list("pk", flat=True))
        transaction.on_commit(lambda: _clips_later(clip_ids))
        if session.recordings.filter(deleted_at=None).count() != len(recordings):
            replay_request(session_id=session_id)  # one came in while this job ran
    return JobState.READY


def _clips_later(clip_ids: list[int]) -> None:
    from backend.live.tasks import media_clip_make

    for clip_id in clip_ids:
        media_clip_make.delay(clip_id)


def replays_resume() -> int:
    """Queue again what a dead worker left: replays pending or with a lapsed lease."""
    stale = timezone.now() - timedelta(seconds=settings.LIVE_MEDIA_JOB_LEASE_SECONDS)
    stuck = Replay.objects.filter(
        Q(state=JobState.PENDING, created_at__lt=stale)
        | Q(state=JobState.PROCESSING, claimed_at__lt=stale)
    ).values_list("session_id", flat=True)
    ids = list(stuck)
    for session_id in ids:
        from backend.live.tasks import media_replay_build

        media_replay_build.delay(session_id)
    return len(ids)
