"""Audience endpoints: the channel, a session for its viewers (product bag included),
follow, 预约 reminders, notices, the share poster, and the streamer's audience figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.accounts.models import User
from backend.audience import services
from backend.audience.notify import notices_read
from backend.audience.poster import poster_png
from backend.audience.schemas import (
    BagItemOut,
    ChannelOut,
    FiguresOut,
    FollowIn,
    FollowOut,
    NoticeOut,
    ReminderOut,
    StreamerOut,
    WatchOut,
)
from backend.audience.selectors import (
    audience_figures,
    bag_of,
    channel_sessions,
    followers_count,
    notices_of,
    subscribers_count,
    watch_of,
)
from backend.audience.shape import bag_item, channel_item, watch_out
from backend.live.access import Need, access_session

router = Router(tags=["audience"])


def _viewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


@router.get("/channel", response=ChannelOut, auth=None)
def channel(request: HttpRequest, streamer_id: int | None = None) -> Any:
    """The county's live channel: on air now, coming up, replays; `streamer_id` narrows it."""
    groups = channel_sessions(streamer_id=streamer_id)
    sessions = [s for rows in groups.values() for s in rows]
    streamers = {s.streamer_id: str(s.streamer) for s in sessions}
    counts = followers_count(streamer_ids=streamers)
    return ChannelOut(
        **{name: [channel_item(s) for s in rows] for name, rows in groups.items()},
        streamers=[
            StreamerOut(id=k, name=v, followers=counts.get(k, 0)) for k, v in streamers.items()
        ],
    )


@router.get("/sessions/{session_id}", response=WatchOut, auth=None)
def watch(request: HttpRequest, session_id: int) -> Any:
    """A session as its viewers see it; a rehearsal or a cancelled session is not found."""
    viewer = _viewer(request)
    return watch_out(session=watch_of(user=viewer, session_id=session_id), user=viewer)


@router.get("/sessions/{session_id}/bag", response=list[BagItemOut], auth=None)
def bag(request: HttpRequest, session_id: int) -> Any:
    """小黄车: the line-up's products a viewer may see, with price and state."""
    session = watch_of(user=_viewer(request), session_id=session_id)
    return [bag_item(i) for i in bag_of(session=session)]


@router.get("/sessions/{session_id}/poster.png", auth=None)
def poster(request: HttpRequest, session_id: int) -> HttpResponse:
    """The share poster (PNG, 750×1334) with a QR code to the watch page."""
    session = watch_of(user=_viewer(request), session_id=session_id)
    response = HttpResponse(poster_png(session=session), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="live-{session.pk}.png"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def _reminder_out(session_id: int, subscribed: bool) -> ReminderOut:
    count = subscribers_count(session_id=session_id)
    return ReminderOut(session_id=session_id, subscribed=subscribed, subscribers=count)


@router.put("/sessions/{session_id}/reminder", response=ReminderOut)
def reminder_add(request: HttpRequest, session_id: int) -> Any:
    """预约: an SMS and a notice shortly before the start (once)."""
    services.reminder_add(user=request_user(request), session_id=session_id)
    return _reminder_out(session_id, True)


@router.delete("/sessions/{session_id}/reminder", response=ReminderOut)
def reminder_remove(request: HttpRequest, session_id: int) -> Any:
    services.reminder_remove(user=request_user(request), session_id=session_id)
    return _reminder_out(session_id, False)


@router.get("/sessions/{session_id}/figures", response=FiguresOut)
def figures(request: HttpRequest, session_id: int) -> Any:
    """For the streamer and assistants: reminders, followers, followers gained here."""
    user = request_user(request)
    session = access_session(user=user, session_id=session_id, need=Need.CONSOLE).session
    return FiguresOut(session_id=session.pk, **audience_figures(session=session))


def _follow_out(streamer_id: int, following: bool, sms: bool) -> FollowOut:
    count = followers_count(streamer_ids=[streamer_id]).get(streamer_id, 0)
    return FollowOut(streamer_id=streamer_id, following=following, sms=sms, followers=count)


@router.put("/streamers/{streamer_id}/follow", response=FollowOut)
def follow(request: HttpRequest, streamer_id: int, payload: FollowIn) -> Any:
    """关注; `sms`: also an SMS when they go live. Following twice is one follow."""
    made = services.follow_add(
        user=request_user(request), streamer_id=streamer_id,
        session_id=payload.session_id, sms=payload.sms,
    )  # fmt: skip
    return _follow_out(streamer_id, True, made.sms)


@router.delete("/streamers/{streamer_id}/follow", response=FollowOut)
def unfollow(request: HttpRequest, streamer_id: int) -> Any:
    services.follow_remove(user=request_user(request), streamer_id=streamer_id)
    return _follow_out(streamer_id, False, False)


@router.get("/notices", response=list[NoticeOut])
def notices(request: HttpRequest) -> Any:
    return [
        NoticeOut(id=n.pk, kind=n.kind, session_id=n.session_id, text=n.text,
                  created_at=n.created_at, read=n.read_at is not None)
        for n in notices_of(user=request_user(request))
    ]  # fmt: skip


@router.post("/notices/read", response={204: None})
def notices_mark_read(request: HttpRequest) -> Any:
    notices_read(user=request_user(request))
    return Status(204, None)
