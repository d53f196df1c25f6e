"""The watch page's server side: what a shared link shows (title, picture, Open Graph),
a kind page for a session that is not there, the short share link and the old URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone

from backend.accounts.models import User
from backend.audience.notify import watch_url
from backend.audience.selectors import watch_of
from backend.audience.shape import BASE36
from backend.common.errors import DomainError
from backend.common.registry import PageMeta


def watch_meta(request: HttpRequest, session_id: int) -> PageMeta:
    user = request.user if isinstance(request.user, User) else None
    try:
        session = watch_of(user=user, session_id=session_id)
    except DomainError:
        return PageMeta(status=404, data={"session_id": str(session_id), "missing": "1"})
    start = timezone.localtime(session.started_at or session.scheduled_start)
    picture = session.cover_url or f"/api/v1/audience/sessions/{session.pk}/poster.png"
    return PageMeta(
        title=session.title,
        description=f"{session.streamer} · {start:%Y-%m-%d %H:%M}",
        image=request.build_absolute_uri(picture),
        url=watch_url(session.pk),
        data={"session_id": str(session.pk), "missing": ""},
    )


def short_link(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """/s/<code>: the share link (the session id in base 36) → the watch page."""
    session_id = 0
    for char in code.lower():
        if char not in BASE36:
            return HttpResponseRedirect("/live/")
        session_id = session_id * 36 + BASE36.index(char)
    return HttpResponseRedirect(f"/live/{session_id}/")


def old_watch(request: HttpRequest) -> HttpResponseRedirect:
    """The first viewer page lived at /live/watch/?id=N: links to it still work."""
    raw = request.GET.get("id", "")
    return HttpResponseRedirect(f"/live/{int(raw)}/" if raw.isdigit() else "/live/")
