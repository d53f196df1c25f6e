"""Reads of the replay, its clips and restream targets, shaped for the API."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import Prefetch

from backend.live.models import LiveSession
from backend.live.models_media import JobState, ProductClip, Replay, RestreamTarget
from backend.live.schemas_media import ChapterOut, ClipOut, ReplayOut, RestreamOut

_VIEWER_STATE = {
    JobState.PENDING: "processing",
    JobState.PROCESSING: "processing",
    JobState.READY: "ready",
    JobState.FAILED: "failed",
}


def _none() -> ReplayOut:
    return ReplayOut(state="none", video_url=None, cover_url=None, duration_s=None, chapters=[])


def replay_of(*, session: LiveSession) -> ReplayOut:
    """The replay as viewers see it: files only once ready (a rebuild keeps showing
    "processing"), chapters in order with the product's clip when it is made."""
    replay = (
        Replay.objects.filter(session=session, deleted_at=None)
        .prefetch_related(
            "chapters",
            Prefetch("clips", queryset=ProductClip.objects.select_related("video")),
        )
        .first()
    )
    if replay is None:
        return _none()
    state = _VIEWER_STATE[JobState(replay.state)]
    if state != "ready":
        return ReplayOut(state=state, video_url=None, cover_url=None, duration_s=None, chapters=[])  # type: ignore[arg-type]
    clip_urls = {
        c.product_id: c.video.file.url
        for c in replay.clips.all()
        if c.state == JobState.READY and c.video is not None
    }
    return ReplayOut(
        state="ready",
        video_url=default_storage.url(replay.video),
        cover_url=default_storage.url(replay.cover) if replay.cover else None,
        duration_s=round(replay.duration_s or 0, 2),
        chapters=[
            ChapterOut(
                product_id=c.product_id,
                title=c.title,
                start_s=c.start_s,
                end_s=c.end_s,
                clip_url=clip_urls.get(c.product_id),
            )
            for c in replay.chapters.all()
        ],
    )


def clips_of(*, session: LiveSession, with_errors: bool) -> list[ClipOut]:
    clips = ProductClip.objects.filter(replay__session=session).select_related("product", "video")
    return [
        ClipOut(
            id=c.pk,
            product_id=c.product_id,
            title=c.product.title,
            state=c.state,  # type: ignore[arg-type]
            start_s=c.start_s,
            end_s=c.end_s,
            duration_s=round(c.duration_s, 2) if c.duration_s is not None else None,
            video_url=c.video.file.url if c.video else None,
            attempts=c.attempts,
            error=c.error if with_errors else "",
        )
        for c in clips
    ]


def restream_out(target: RestreamTarget) -> RestreamOut:
    return RestreamOut(
        id=target.pk,
        platform=target.platform,
        label=target.label,
        server_url=target.server_url,
        enabled=target.enabled,
        status=target.status,  # type: ignore[arg-type]
        bitrate_kbps=target.bitrate_kbps,
        last_error=target.last_error,
        failures=target.failures,
        connected_since=target.connected_since,
        health_at=target.health_at,
    )
