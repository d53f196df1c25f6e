"""Writes of the room: comments (length, rate, slow mode, mutes, banned words), the
moderators' hide / pin / mute / mute-all / slow mode, and reports (举报).

Everything viewers see leaves through room_state.feed_add after commit, in order; the hub
of each daphne process merges it into the next tick (hub.py).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict, Invalid, NotFound, Throttled
from backend.common.realtime import broadcast
from backend.common.timefmt import iso_local
from backend.live import groups, room_state
from backend.live.access import RoomAccess, access_room, access_room_moderate
from backend.live.broadcast import room_broadcast
from backend.live.errors import LiveErrorCode
from backend.live.models import BannedWord, Comment, CommentReport, LiveSession, Mute, RoomControl

MAX_LEN = int(getattr(settings, "LIVE_COMMENT_MAX_LEN", 100))
RATE_LIMIT = int(getattr(settings, "LIVE_COMMENT_RATE", 5))  # comments ...
RATE_WINDOW_S = int(getattr(settings, "LIVE_COMMENT_WINDOW_S", 10))  # ... per window
MUTE_MAX_MINUTES = 24 * 60


def comment_payload(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "user_id": comment.user_id,
        "name": str(comment.user),
        "text": comment.text,
        "at": iso_local(comment.created_at),
    }


_feed_after_commit = room_broadcast


def banned_apply(text: str) -> tuple[str, bool]:
    """The text with masked words replaced by ＊, and whether a word hides it entirely."""
    hide = False
    lowered = text.lower()
    for word, action in BannedWord.objects.values_list("word", "action"):
        if not word or word.lower() not in lowered:
            continue
        if action == BannedWord.Action.HIDE:
            hide = True
            continue
        start = lowered.find(word.lower())
        while start >= 0:
            text = text[:start] + "＊" * len(word) + text[start + len(word) :]
            lowered = text.lower()
            start = lowered.find(word.lower(), start + len(word))
    return text, hide


def control_of(session: LiveSession) -> RoomControl:
    control, _created = RoomControl.objects.get_or_create(session=session)
    return control


def _mute_check(*, session: LiveSession, user: User) -> None:
    mute = (
        Mute.objects.filter(session=session, user=user, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )
    if mute is not None:
        until = timezone.localtime(mute.until).strftime("%H:%M")
        raise Invalid(
            _("You are muted in this room until %(until)s.") % {"until": until},
            code=LiveErrorCode.MUTED,
            extra={"until": iso_local(mute.until)},
        )


def comment_post(*, user: User, session_id: int, text: str) -> tuple[Comment, bool]:
    """Post a comment; returns it and whether others see it (False: a banned word hid it,
    only the author sees it). Refusals raise with a reason for the author alone."""
    room = access_room(user=user, session_id=session_id)
    session = room.session
    if session.state not in (LiveSession.State.LIVE, LiveSession.State.REHEARSAL):
        raise Conflict(_("The room is not live."), code=LiveErrorCode.ROOM_NOT_LIVE)
    text = " ".join(str(text).split())
    if not text:
        raise Invalid(_("The comment is empty."), code=LiveErrorCode.COMMENT_EMPTY)
    if len(text) > MAX_LEN:
        raise Invalid(
            _("A comment has at most %(max)d characters.") % {"max": MAX_LEN},
            code=LiveErrorCode.COMMENT_TOO_LONG,
        )
    control = control_of(session)
    if not room.can_moderate:
        if control.muted_all:
            raise Invalid(
                _("The streamer has muted the room for now."), code=LiveErrorCode.MUTED_ALL
            )
        _mute_check(session=session, user=user)
        if not room_state.rate_allow(session.pk, user.pk, limit=RATE_LIMIT, window_s=RATE_WINDOW_S):
            raise Throttled(
                _("You are commenting too fast; wait a few seconds."),
                code=LiveErrorCode.COMMENT_TOO_FAST,
                retry_after=RATE_WINDOW_S,
            )
        if control.slow_mode_s and not room_state.slow_allow(
            session.pk, user.pk, seconds=control.slow_mode_s
        ):
            raise Throttled(
                _("Slow mode: one comment every %(s)d seconds.") % {"s": control.slow_mode_s},
                code=LiveErrorCode.COMMENT_SLOW_MODE,
                retry_after=control.slow_mode_s,
            )
    shown, hide = banned_apply(text)
    comment = Comment.objects.create(
        session=session,
        user=user,
        text=shown,
        hidden=hide,
        hidden_reason="banned_word" if hide else "",
    )
    if not hide:
        _feed_after_commit(session.pk, "live.comment", comment_payload(comment))
    return comment, not hide


def _comment(*, session: LiveSession, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("user").filter(pk=comment_id, session=session).first()
    if comment is None:
        raise NotFound()
    return comment


@transaction.atomic
def comment_hide(*, user: User, session_id: int, comment_id: int) -> Comment:
    session = access_room_moderate(user=user, session_id=session_id)
    comment = _comment(session=session, comment_id=comment_id)
    Comment.objects.filter(pk=comment.pk).update(
        hidden=True, hidden_reason="moderator", hidden_by=user
    )
    CommentReport.objects.filter(comment=comment, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )
    control = control_of(session)
    if control.pinned_id == comment.pk:
        control.pinned = None
        control.save(update_fields=["pinned"])
        _feed_after_commit(session.pk, "live.pin", {"comment": None})
    _feed_after_commit(session.pk, "live.comment_hidden", {"comment_id": comment.pk})
    return comment


@transaction.atomic
def comment_pin(*, user: User, session_id: int, comment_id: int | None) -> Comment | None:
    """Pin one visible comment over the chat (None: unpin)."""
    session = access_room_moderate(user=user, session_id=session_id)
    comment = None
    if comment_id is not None:
        comment = _comment(session=session, comment_id=comment_id)
        if comment.hidden:
            raise NotFound()
    control = control_of(session)
    control.pinned = comment
    control.save(update_fields=["pinned"])
    payload = {"comment": comment_payload(comment) if comment else None}
    _feed_after_commit(session.pk, "live.pin", payload)
    return comment


@transaction.atomic
def user_mute(*, user: User, session_id: int, target_id: int, minutes: int) -> Mute | None:
    """Mute a viewer for `minutes` (0 lifts the mute)."""
    session = access_room_moderate(user=user, session_id=session_id)
    if not 0 <= int(minutes) <= MUTE_MAX_MINUTES:
        raise Invalid(_("A mute lasts 0 to 1440 minutes."))
    target = User.objects.filter(pk=target_id).first()
    if target is None:
        raise NotFound()
    Mute.objects.filter(session=session, user=target, until__gt=timezone.now()).update(
        until=timezone.now()
    )
    if int(minutes) == 0:
        return None
    until = timezone.now() + timedelta(minutes=int(minutes))
    return Mute.objects.create(session=session, user=target, until=until, by=user)


@transaction.atomic
def room_set(
    *, user: User, session_id: int, muted_all: bool | None = None, slow_mode_s: int | None = None
) -> RoomControl:
    """Mute everyone (moderators still speak) and slow mode (0: off, at most 300 s)."""
    session = access_room_moderate(user=user, session_id=session_id)
    control = control_of(session)
    if muted_all is not None:
        control.muted_all = bool(muted_all)
    if slow_mode_s is not None:
        if not 0 <= int(slow_mode_s) <= 300:
            raise Invalid(_("Slow mode is 0 to 300 seconds."))
        control.slow_mode_s = int(slow_mode_s)
    control.save(update_fields=["muted_all", "slow_mode_s"])
    payload = {"muted_all": control.muted_all, "slow_mode_s": control.slow_mode_s}
    _feed_after_commit(session.pk, "live.room", payload)
    return control


def report_payload(report: CommentReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "comment": comment_payload(report.comment),
        "reporter_id": report.reporter_id,
        "reason": report.reason,
        "at": iso_local(report.created_at),
    }


def comment_report(*, user: User, session_id: int, comment_id: int, reason: str) -> CommentReport:
    session = access_room(user=user, session_id=session_id).session
    comment = _comment(session=session, comment_id=comment_id)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=user, reason=str(reason)[:100]
            )
    except IntegrityError:
        raise Conflict(
            _("You have already reported this comment."), code=LiveErrorCode.REPORT_DUPLICATE
        ) from None
    broadcast(groups.studio(session.pk), "studio.report", report_payload(report))
    return report


def reports_open(*, user: User, session_id: int) -> list[CommentReport]:
    session = access_room_moderate(user=user, session_id=session_id)
    return list(
        CommentReport.objects.select_related("comment__user")
        .filter(comment__session=session, handled_at__isnull=True)
        .order_by("created_at", "id")
    )


_SNAPSHOTS: dict[int, tuple[float, dict[str, Any]]] = {}
SNAPSHOT_TTL_S = 1.0


def room_open(*, user: Any, session_id: int) -> tuple[RoomAccess, dict[str, Any]]:
    """The gate and the hello of a socket joining the room, in one call. The hello's shared
    part is kept for a second per process: a thousand phones joining at once (the stream
    starts, a push notification) cost one snapshot, not a thousand; later changes reach
    them in the next ticks."""
    room = access_room(user=user, session_id=session_id)
    now = time.monotonic()
    found = _SNAPSHOTS.get(session_id)
    if found is None or now - found[0] > SNAPSHOT_TTL_S:
        found = (now, room_snapshot(session=room.session))
        _SNAPSHOTS[session_id] = found
    return room, dict(found[1])


def snapshot_forget(session_id: int) -> None:
    _SNAPSHOTS.pop(session_id, None)


def room_snapshot(*, session: LiveSession) -> dict[str, Any]:
    """What a socket gets on connect: the switches, the pin, the last comments, totals."""
    control = control_of(session)
    pinned = None
    if control.pinned_id:
        pinned = comment_payload(Comment.objects.select_related("user").get(pk=control.pinned_id))
    recent = Comment.objects.select_related("user").filter(session=session, hidden=False)
    comments = [
        comment_payload(c) for c in reversed(list(recent.order_by("-created_at", "-id")[:20]))
    ]
    totals = room_state.totals(session.pk)
    return {
        "session_id": session.pk,
        "state": session.state,
        "muted_all": control.muted_all,
        "slow_mode_s": control.slow_mode_s,
        "pinned": pinned,
        "comments": comments,
        "likes": totals["likes"],
        "viewers": totals["viewers"],
        "tick_ms": int(room_state.TICK_S * 1000),
    }
