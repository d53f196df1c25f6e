"""Reads of the audience: the county's channel, a session as its viewers see it (with
the product bag), and the follower figures other apps use (campaigns, incubation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Q, QuerySet

from backend.accounts.models import User
from backend.audience.models import Follow, Notice, Reminder
from backend.catalog.selectors_shop import thumbnail_file, thumbnail_url
from backend.live.access import access_room
from backend.live.models import LineupItem, LiveSession

State = LiveSession.State
CHANNEL_SIZE = 30


def followers_count(*, streamer_ids: Iterable[int]) -> dict[int, int]:
    """Streamer id → how many follow them now."""
    rows = Follow.objects.filter(streamer_id__in=list(streamer_ids)).values("streamer_id")
    return dict(rows.annotate(n=Count("id")).values_list("streamer_id", "n"))


def follows(*, user: User, streamer_id: int) -> bool:
    return Follow.objects.filter(follower=user, streamer_id=streamer_id).exists()


def new_followers_by_session(*, session_ids: Iterable[int]) -> dict[int, int]:
    """Session id → followers gained from it (follows made on its watch page, still
    standing): the figure campaigns rank streamers by."""
    rows = Follow.objects.filter(session_id__in=list(session_ids)).values("session_id")
    return dict(rows.annotate(n=Count("id")).values_list("session_id", "n"))


def followers_gained(
    *, streamer_ids: Iterable[int], session_ids: Iterable[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """In one query: streamer id → follows of them that stand, and session id → those made
    on its watch page (incubation's "followers gained" milestone reads both)."""
    streamers, sessions = set(streamer_ids), set(session_ids)
    rows = (
        Follow.objects.filter(Q(streamer_id__in=streamers) | Q(session_id__in=sessions))
        .values("streamer_id", "session_id")
        .annotate(n=Count("id"))
    )
    by_streamer: dict[int, int] = defaultdict(int)
    by_session: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["streamer_id"] in streamers:
            by_streamer[row["streamer_id"]] += row["n"]
        if row["session_id"] in sessions:
            by_session[row["session_id"]] += row["n"]
    return dict(by_streamer), dict(by_session)


def subscribers_count(*, session_id: int) -> int:
    return Reminder.objects.filter(session_id=session_id).count()


def channel_sessions(*, streamer_id: int | None = None) -> dict[str, list[LiveSession]]:
    """The county's channel: live now, coming up (soonest first), replays (latest first)."""
    public = LiveSession.objects.select_related("streamer")
    if streamer_id is not None:
        public = public.filter(streamer_id=streamer_id)
    return {
        "live": list(public.filter(state=State.LIVE).order_by("-started_at")[:CHANNEL_SIZE]),
        "coming": list(
            public.filter(state=State.SCHEDULED).order_by("scheduled_start")[:CHANNEL_SIZE]
        ),
        "replays": list(public.filter(state=State.ENDED).order_by("-ended_at")[:CHANNEL_SIZE]),
    }


def bag_of(*, session: LiveSession) -> QuerySet[LineupItem]:
    """小黄车: every product of the line-up a viewer may see (listed, explaining, sold out),
    in line-up order, with its title and thumbnail."""
    return (
        LineupItem.objects.filter(session=session)
        .exclude(state=LineupItem.State.HIDDEN)
        .select_related("sku__product")
        .annotate(thumb=thumbnail_file(OuterRef("sku__product_id")))
    )


def bag_thumb(item: LineupItem) -> str | None:
    return thumbnail_url(getattr(item, "thumb", None))


def watch_of(*, user: User | None, session_id: int) -> LiveSession:
    """The session a viewer may watch (not a rehearsal, not cancelled), else NotFound."""
    return access_room(user=user, session_id=session_id).session


def viewer_marks(*, user: User | None, session: LiveSession) -> tuple[bool, bool, bool]:
    """(follows the streamer, has a reminder, follows with SMS) for a signed-in viewer."""
    if user is None or not user.is_authenticated:
        return False, False, False
    follow = Follow.objects.filter(follower=user, streamer_id=session.streamer_id).first()
    reminded = Reminder.objects.filter(user=user, session=session).exists()
    return follow is not None, reminded, bool(follow and follow.sms)


def audience_figures(*, session: LiveSession) -> dict[str, int]:
    """What the streamer sees of the audience of a session."""
    return {
        "subscribers": subscribers_count(session_id=session.pk),
        "followers": followers_count(streamer_ids=[session.streamer_id]).get(
            session.streamer_id, 0
        ),
        "new_followers": new_followers_by_session(session_ids=[session.pk]).get(session.pk, 0),
    }


def notices_of(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).select_related("session")[:50]
