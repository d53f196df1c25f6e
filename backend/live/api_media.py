"""Live endpoints after and beyond the stream: the replay, product clips, restream
targets, and the office's storage report. Mounted on the live router (api.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.common.errors import NotFound
from backend.common.permissions import require_perm
from backend.live import services_restream
from backend.live.access import Need, access_room, access_session
from backend.live.models_media import ProductClip, RestreamTarget
from backend.live.schemas_media import (
    ClipOut,
    MonthUsageOut,
    ReplayOut,
    RestreamIn,
    RestreamOut,
    RestreamPatchIn,
    StorageReportOut,
)
from backend.live.selectors_media import clips_of, replay_of, restream_out
from backend.live.services_clips import clip_retry
from backend.live.services_retention import storage_report

router = Router(tags=["live"])


@router.get("/sessions/{session_id}/replay", response=ReplayOut, auth=None)
def session_replay(request: HttpRequest, session_id: int) -> Any:
    """回放: anyone who may watch the session (not a rehearsal, not cancelled)."""
    user = request.user if request.user.is_authenticated else AnonymousUser()
    session = access_room(user=user, session_id=session_id).session
    return replay_of(session=session)


@router.get("/sessions/{session_id}/clips", response=list[ClipOut])
def session_clips(request: HttpRequest, session_id: int) -> Any:
    """Each explained product's clip and its state; a failure's stderr tail for staff."""
    session = access_session(user=request_user(request), session_id=session_id).session
    return clips_of(session=session, with_errors=True)


@router.post("/sessions/{session_id}/clips/{clip_id}/retry", response=ClipOut)
def session_clip_retry(request: HttpRequest, session_id: int, clip_id: int) -> Any:
    user = request_user(request)
    session = access_session(user=user, session_id=session_id, need=Need.CONSOLE).session
    clip = ProductClip.objects.filter(pk=clip_id, replay__session=session).first()
    if clip is None:
        raise NotFound()
    clip_retry(clip=clip)
    return next(c for c in clips_of(session=session, with_errors=True) if c.id == clip_id)


@router.get("/sessions/{session_id}/restreams", response=list[RestreamOut])
def restream_list(request: HttpRequest, session_id: int) -> Any:
    """转推 targets with their health (connected, bitrate, last error); never a key."""
    session = access_session(user=request_user(request), session_id=session_id).session
    return [restream_out(t) for t in RestreamTarget.objects.filter(session=session)]


def _target(request: HttpRequest, session_id: int, target_id: int) -> RestreamTarget:
    """Targets carry the streamer's keys on other platforms: the streamer's alone."""
    user = request_user(request)
    session = access_session(user=user, session_id=session_id, need=Need.OWNER).session
    target = RestreamTarget.objects.filter(pk=target_id, session=session).first()
    if target is None:
        raise NotFound()
    return target


@router.post("/sessions/{session_id}/restreams", response={201: RestreamOut})
def restream_add(request: HttpRequest, session_id: int, payload: RestreamIn) -> Status[Any]:
    user = request_user(request)
    session = access_session(user=user, session_id=session_id, need=Need.OWNER).session
    target = services_restream.restream_add(session=session, **payload.dict())
    return Status(201, restream_out(target))


@router.patch("/sessions/{session_id}/restreams/{target_id}", response=RestreamOut)
def restream_patch(
    request: HttpRequest, session_id: int, target_id: int, payload: RestreamPatchIn
) -> Any:
    target = _target(request, session_id, target_id)
    return restream_out(services_restream.restream_enable(target=target, enabled=payload.enabled))


@router.delete("/sessions/{session_id}/restreams/{target_id}", response={204: None})
def restream_delete(request: HttpRequest, session_id: int, target_id: int) -> Status[None]:
    services_restream.restream_remove(target=_target(request, session_id, target_id))
    return Status(204, None)


@router.get("/storage-report", response=StorageReportOut)
def live_storage_report(request: HttpRequest) -> Any:
    """The office's view of recordings, replays and clips: bytes per month, the oldest."""
    require_perm(request_user(request), "live.view_all_sessions")
    report = storage_report()
    return StorageReportOut(
        retention_days=report.retention_days,
        months=[MonthUsageOut(**m.__dict__, total_bytes=m.total_bytes) for m in report.months],
        oldest_at=report.oldest_at,
        oldest_session_id=report.oldest_session_id,
        total_bytes=report.total_bytes,
    )
