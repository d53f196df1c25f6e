"""Live endpoints: sessions, keys, 开播, assistants, playback, streamer profiles, the hooks."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from backend.accounts.auth import request_user
from backend.catalog.services_images import image_upload_read
from backend.common.errors import NotFound
from backend.common.permissions import require_perm
from backend.live import services, services_lineup, services_room, studio
from backend.live.access import (
    Need,
    access_session,
    access_session_playback,
    require_streamer,
    sessions_visible_to,
)
from backend.live.api_media import router as media_router
from backend.live.media import OBS_SETTINGS, ingest_url, playback_url
from backend.live.models import (
    Assistant,
    BannedWord,
    Explanation,
    KeyAudit,
    LiveSession,
    StreamerProfile,
)
from backend.live.schemas import (
    AssistantIn,
    AssistantOut,
    BannedWordIn,
    BannedWordOut,
    CardIn,
    CommentReportOut,
    EncoderSettingsOut,
    ExplanationOut,
    HealthOut,
    KeyAuditOut,
    LineupIn,
    LineupOut,
    PlaybackOut,
    ProfileIn,
    ProfileOut,
    ReasonIn,
    SessionIn,
    SessionListItem,
    SessionOut,
    SessionPatchIn,
    SessionReportOut,
    StreamKeyOut,
)
from backend.live.selectors import (
    explanation_out,
    lineup_of,
    profile_out,
    session_detail,
    session_list_item,
)
from backend.live.services_cover import session_cover_set
from backend.live.services_health import session_health
from backend.live.services_ingest import rtmp_callback

router = Router(tags=["live"])
router.add_router("", media_router)


def _addr(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _detail(request: HttpRequest, session_id: int) -> SessionOut:
    access = access_session(user=request_user(request), session_id=session_id)
    return session_detail(access=access)


@router.post("/sessions", response={201: SessionOut})
def session_create(request: HttpRequest, payload: SessionIn) -> Status[Any]:
    user = request_user(request)
    require_streamer(user=user)
    session = services.session_create(streamer=user, **payload.dict())
    return Status(201, _detail(request, session.pk))


@router.get("/sessions", response=list[SessionListItem])
def session_list(request: HttpRequest) -> Any:
    sessions = sessions_visible_to(user=request_user(request)).order_by("-scheduled_start")[:200]
    return [session_list_item(s) for s in sessions]


@router.get("/sessions/{session_id}", response=SessionOut)
def session_get(request: HttpRequest, session_id: int) -> Any:
    return _detail(request, session_id)


def _owned(request: HttpRequest, session_id: int) -> LiveSession:
    return access_session(
        user=request_user(request), session_id=session_id, need=Need.OWNER
    ).session


@router.patch("/sessions/{session_id}", response=SessionOut)
def session_update(request: HttpRequest, session_id: int, payload: SessionPatchIn) -> Any:
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    services.session_update(session=_owned(request, session_id), changes=changes)
    return _detail(request, session_id)


@router.post("/sessions/{session_id}/cover", response=SessionOut)
def session_cover_upload(request: HttpRequest, session_id: int, file: File[UploadedFile]) -> Any:
    """A JPEG, PNG or WebP picture; stored as a 720×960 cover (letterboxed, never cropped)."""
    session = _owned(request, session_id)
    data, filename = image_upload_read(file=file)
    session_cover_set(session=session, data=data, filename=filename)
    return _detail(request, session_id)


@router.post("/sessions/{session_id}/go-live", response=SessionOut)
def session_go_live(request: HttpRequest, session_id: int) -> Any:
    services.session_go_live(session=_owned(request, session_id), by=request_user(request))
    return _detail(request, session_id)


@router.post("/sessions/{session_id}/end", response=SessionOut)
def session_end(request: HttpRequest, session_id: int, payload: ReasonIn) -> Any:
    session = _owned(request, session_id)
    services.session_end(session=session, by=request_user(request), reason=payload.reason)
    return _detail(request, session_id)


@router.post("/sessions/{session_id}/cancel", response=SessionOut)
def session_cancel(request: HttpRequest, session_id: int, payload: ReasonIn) -> Any:
    session = _owned(request, session_id)
    services.session_cancel(session=session, by=request_user(request), reason=payload.reason)
    return _detail(request, session_id)


def _key_out(key: str) -> StreamKeyOut:
    url = ingest_url()
    return StreamKeyOut(
        rtmp_url=url,
        stream_key=key,
        full_url=f"{url}/{key}",
        obs=EncoderSettingsOut(**asdict(OBS_SETTINGS)),
    )


@router.post("/sessions/{session_id}/key/reveal", response=StreamKeyOut)
def stream_key_reveal(request: HttpRequest, session_id: int) -> Any:
    key = services.stream_key_reveal(
        session=_owned(request, session_id), by=request_user(request), addr=_addr(request)
    )
    return _key_out(key)


@router.post("/sessions/{session_id}/key/rotate", response=StreamKeyOut)
def stream_key_rotate(request: HttpRequest, session_id: int) -> Any:
    key = services.stream_key_rotate(
        session=_owned(request, session_id), by=request_user(request), addr=_addr(request)
    )
    return _key_out(key)


@router.get("/sessions/{session_id}/key/audit", response=list[KeyAuditOut])
def stream_key_audit(request: HttpRequest, session_id: int) -> Any:
    session = _owned(request, session_id)
    audits = KeyAudit.objects.filter(session=session)
    return [KeyAuditOut(user_id=a.user_id, action=a.action, addr=a.addr, at=a.at) for a in audits]


@router.get("/sessions/{session_id}/playback", response=PlaybackOut, auth=None)
def session_playback(request: HttpRequest, session_id: int) -> Any:
    """A signed HLS URL: anyone's once live; while rehearsing, the console's only."""
    user = request.user if request.user.is_authenticated else AnonymousUser()
    session = access_session_playback(user=user, session_id=session_id)
    playback = playback_url(public_id=session.public_id)
    return PlaybackOut(state=session.state, url=playback.url, expires=playback.expires)


@router.get("/sessions/{session_id}/health", response=HealthOut)
def session_health_get(request: HttpRequest, session_id: int) -> Any:
    """The latest figures and warnings (also pushed to the studio socket as studio.health)."""
    session = access_session(user=request_user(request), session_id=session_id).session
    snapshot = session_health(session=session)
    if snapshot is None:
        return HealthOut(
            session_id=session.pk, at=None, publishing=False, bitrate_kbps=0, fps=None,
            width=None, height=None, video_codec=None, audio_codec=None, uptime_s=0,
            keyframe_interval_s=None, warnings=[],
        )  # fmt: skip
    return HealthOut(**snapshot)


@router.get("/sessions/{session_id}/report", response=SessionReportOut)
def session_report_get(request: HttpRequest, session_id: int) -> Any:
    """Totals and the per-minute series (viewers, peak, likes, comments, orders, GMV)."""
    from backend.live.services_metrics import session_report

    session = access_session(user=request_user(request), session_id=session_id).session
    return session_report(session=session)


@router.get("/sessions/{session_id}/reports", response=list[CommentReportOut])
def comment_reports(request: HttpRequest, session_id: int) -> Any:
    """举报 not handled yet, oldest first: the assistants' queue."""
    reports = services_room.reports_open(user=request_user(request), session_id=session_id)
    return [services_room.report_payload(r) for r in reports]


@router.get("/banned-words", response=list[BannedWordOut])
def banned_words(request: HttpRequest) -> Any:
    require_perm(request_user(request), "live.view_bannedword")
    return list(BannedWord.objects.order_by("word").values("id", "word", "action"))


@router.post("/banned-words", response={201: BannedWordOut})
def banned_word_add(request: HttpRequest, body: BannedWordIn) -> Any:
    require_perm(request_user(request), "live.add_bannedword")
    word, _created = BannedWord.objects.update_or_create(
        word=body.word.strip(), defaults={"action": body.action}
    )
    return Status(201, BannedWordOut(id=word.pk, word=word.word, action=word.action))


@router.delete("/banned-words/{word_id}", response={204: None})
def banned_word_remove(request: HttpRequest, word_id: int) -> Any:
    require_perm(request_user(request), "live.delete_bannedword")
    if not BannedWord.objects.filter(pk=word_id).delete()[0]:
        raise NotFound()
    return Status(204, None)


@router.get("/sessions/{session_id}/assistants", response=list[AssistantOut])
def assistant_list(request: HttpRequest, session_id: int) -> Any:
    session = access_session(user=request_user(request), session_id=session_id).session
    rows = Assistant.objects.filter(session=session).select_related("user").order_by("id")
    return [
        AssistantOut(user_id=a.user_id, username=a.user.username, display_name=str(a.user))
        for a in rows
    ]


@router.post("/sessions/{session_id}/assistants", response={201: AssistantOut})
def assistant_add(request: HttpRequest, session_id: int, payload: AssistantIn) -> Status[Any]:
    assistant = services.assistant_add(
        session=_owned(request, session_id), username=payload.username
    )
    user = assistant.user
    return Status(
        201, AssistantOut(user_id=user.pk, username=user.username, display_name=str(user))
    )


@router.delete("/sessions/{session_id}/assistants/{user_id}", response={204: None})
def assistant_remove(request: HttpRequest, session_id: int, user_id: int) -> Status[None]:
    services.assistant_remove(session=_owned(request, session_id), user_id=user_id)
    return Status(204, None)


def _console(request: HttpRequest, session_id: int) -> LiveSession:
    user = request_user(request)
    return access_session(user=user, session_id=session_id, need=Need.CONSOLE).session


@router.get("/sessions/{session_id}/lineup", response=list[LineupOut])
def lineup_list(request: HttpRequest, session_id: int) -> Any:
    session = access_session(user=request_user(request), session_id=session_id).session
    return lineup_of(session=session)


@router.post("/sessions/{session_id}/lineup", response={201: LineupOut})
def lineup_add(request: HttpRequest, session_id: int, payload: LineupIn) -> Status[Any]:
    session = _console(request, session_id)
    item = services_lineup.lineup_add(session=session, **payload.dict())
    return Status(201, next(i for i in lineup_of(session=session) if i.id == item.pk))


@router.patch("/sessions/{session_id}/lineup/{item_id}", response=LineupOut)
def lineup_card(request: HttpRequest, session_id: int, item_id: int, payload: CardIn) -> Any:
    user = request_user(request)
    item = studio.studio_card(
        user=user, session_id=session_id, item_id=item_id, state=payload.state
    )
    return next(i for i in lineup_of(session=item.session) if i.id == item.pk)


@router.post("/sessions/{session_id}/lineup/{item_id}/explain", response=ExplanationOut)
def explain(request: HttpRequest, session_id: int, item_id: int) -> Any:
    user = request_user(request)
    return explanation_out(studio.studio_explain(user=user, session_id=session_id, item_id=item_id))


@router.post("/sessions/{session_id}/explain/end", response={200: ExplanationOut, 204: None})
def explain_end(request: HttpRequest, session_id: int) -> Any:
    ended = studio.studio_explain_end(user=request_user(request), session_id=session_id)
    return explanation_out(ended) if ended is not None else Status(204, None)


@router.get("/sessions/{session_id}/explanations", response=list[ExplanationOut])
def explanation_list(request: HttpRequest, session_id: int) -> Any:
    session = access_session(user=request_user(request), session_id=session_id).session
    rows = Explanation.objects.filter(session=session).select_related("item__sku")
    return [explanation_out(e) for e in rows]


@router.get("/streamer/profile", response=ProfileOut)
def profile_get(request: HttpRequest) -> Any:
    profile = StreamerProfile.objects.filter(user=request_user(request)).first()
    if profile is None:
        raise NotFound()
    return profile_out(profile)


@router.put("/streamer/profile", response=ProfileOut)
def profile_submit(request: HttpRequest, payload: ProfileIn) -> Any:
    user = request_user(request)
    require_streamer(user=user)
    profile = services.streamer_profile_submit(user=user, **payload.dict())
    return profile_out(profile)


@router.get("/streamers", response=list[ProfileOut])
def profile_list(request: HttpRequest) -> Any:
    """The office's queue: every submitted profile, unverified first."""
    require_perm(request_user(request), "live.verify_streamer")
    profiles = StreamerProfile.objects.order_by("verified_at", "submitted_at")
    return [profile_out(p) for p in profiles]


@router.post("/streamers/{user_id}/verify", response=ProfileOut)
def profile_verify(request: HttpRequest, user_id: int) -> Any:
    user = request_user(request)
    require_perm(user, "live.verify_streamer")
    profile = StreamerProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        raise NotFound()
    return profile_out(services.streamer_verify(profile=profile, by=user))


# nginx-rtmp's hooks: no session, no token; the shared secret (?token=) is the authentication.
@router.post("/rtmp/{event}", auth=None, include_in_schema=False)
def rtmp_hook(request: HttpRequest, event: str) -> HttpResponse:
    answer = rtmp_callback(event=event, query=request.GET.dict(), form=request.POST.dict())
    response = HttpResponse(answer.body, status=answer.status, content_type="text/plain")
    for name, value in answer.headers:
        response[name] = value
    return response
