"""The one gate to a live session on behalf of a user (CONVENTIONS rule 4).

Who may do what:
  the streamer (owner)   everything, and alone: the key, 开播/end/cancel, assistants
  an assistant (中控)     read, and run the console (line-up, 讲解); never the key
  office staff            read every session (live.view_all_sessions), change nothing
Everyone else gets 404, so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.common.errors import Forbidden, NotFound
from backend.common.permissions import require_authenticated, require_perm
from backend.live.models import Assistant, LiveSession


class Need(Enum):
    READ = "read"
    CONSOLE = "console"  # streamer or assistant
    OWNER = "owner"  # the streamer alone


@dataclass(frozen=True)
class SessionAccess:
    session: LiveSession
    is_owner: bool
    is_assistant: bool

    @property
    def can_control(self) -> bool:
        return self.is_owner or self.is_assistant


def sessions_visible_to(*, user: User) -> QuerySet[LiveSession]:
    require_authenticated(user)
    sessions = LiveSession.objects.select_related("streamer")
    if user.has_perm("live.view_all_sessions"):
        return sessions.all()
    return sessions.filter(Q(streamer=user) | Q(assistants__user=user)).distinct()


def access_session(*, user: User, session_id: int, need: Need = Need.READ) -> SessionAccess:
    require_authenticated(user)
    session = LiveSession.objects.select_related("streamer").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    is_owner = session.streamer_id == user.pk
    is_assistant = not is_owner and Assistant.objects.filter(session=session, user=user).exists()
    found = SessionAccess(session=session, is_owner=is_owner, is_assistant=is_assistant)
    if is_owner or (is_assistant and need is not Need.OWNER):
        return found
    if need is Need.READ and user.has_perm("live.view_all_sessions"):
        return found
    if is_assistant or user.has_perm("live.view_all_sessions"):
        raise Forbidden()  # they know the session exists: say they may not do this
    raise NotFound()


def access_session_playback(*, user: User | AnonymousUser, session_id: int) -> LiveSession:
    """Who may be handed a signed HLS URL: anyone once the session is live; while it
    rehearses, only its streamer and assistants (the rehearsal is private)."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if session.state == LiveSession.State.LIVE:
        return session
    if not isinstance(user, User):
        raise NotFound()
    access = access_session(user=user, session_id=session_id)
    if not access.can_control:
        raise NotFound()
    return session


def require_streamer(*, user: User) -> None:
    """Creating sessions needs the streamer's grant (live.add_livesession)."""
    require_perm(user, "live.add_livesession")


@dataclass(frozen=True)
class RoomAccess:
    """Who is in a room: anyone may watch a scheduled, live or ended session; a rehearsal
    only its streamer and assistants. Moderating is for the streamer and assistants."""

    session: LiveSession
    can_moderate: bool


def access_room(*, user: User | AnonymousUser | None, session_id: int) -> RoomAccess:
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None or session.state == LiveSession.State.CANCELLED:
        raise NotFound()
    staff = False
    if isinstance(user, User):
        staff = session.streamer_id == user.pk or (
            Assistant.objects.filter(session=session, user=user).exists()
        )
    if session.state == LiveSession.State.REHEARSAL and not staff:
        raise NotFound()  # a private rehearsal: nothing to see
    return RoomAccess(session=session, can_moderate=staff)


def access_room_moderate(*, user: User, session_id: int) -> LiveSession:
    """Hide, pin, mute, mute-all, slow mode, the report queue: streamer and assistants."""
    return access_session(user=user, session_id=session_id, need=Need.CONSOLE).session
