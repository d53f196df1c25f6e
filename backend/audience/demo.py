"""Demo data of the audience (make run): beside the studio's scheduled session, a second
demo streamer (an influencer farmer) on air and an ended session of the demo streamer with
a recording and product chapters (the worker makes its replay and clips), so the channel
shows all three; the demo buyer follows the demo streamer
and has a 预约 on the scheduled session. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.accounts.services import user_create
from backend.audience.models import Follow, Reminder
from backend.live.demo import DEMO_STREAMER, DEMO_TITLE
from backend.live.models import Explanation, LineupItem, LiveSession, Recording, SessionState
from backend.live.services import session_create
from backend.live.services_replay import replay_request
from streaming.testpattern import pattern_file_write

LIVE_TITLE = "沁水刺槐蜂蜜 原产地直播（演示）"
FARMER = ("demo-live-wang", "网红农民 王大姐")
REPLAY_TITLE = "端氏黄小米 丰收季直播（演示回放）"


def _session(streamer: User, title: str, source: LiveSession, hours_ago: float) -> LiveSession:
    """A demo session moved straight to its state (demo data, not the 开播 flow)."""
    session = LiveSession.objects.filter(streamer=streamer, title=title).first()
    if session is not None:
        return session
    session = session_create(
        streamer=streamer, title=title, scheduled_start=timezone.now() + timedelta(hours=1)
    )
    for item in source.lineup.all():
        LineupItem.objects.create(
            session=session, sku_id=item.sku_id, live_price=item.live_price,
            position=item.position, state=LineupItem.State.LISTED,
        )  # fmt: skip
    start = timezone.now() - timedelta(hours=hours_ago)
    LiveSession.objects.filter(pk=session.pk).update(
        scheduled_start=start, started_at=start, state=SessionState.LIVE
    )
    session.refresh_from_db()
    return session


def _end_with_chapters(session: LiveSession) -> None:
    """A short broadcast with a 讲解 of each product, ended; its recording (a test pattern
    made by ffmpeg, as nginx would have recorded it) goes to the replay job, which makes the
    replay, its chapters and a clip per product once the worker runs."""
    if session.state == SessionState.ENDED:
        return
    started = session.started_at or timezone.now()
    items = list(session.lineup.all())
    for n, item in enumerate(items):
        Explanation.objects.create(
            session=session, item=item, started_at=started + timedelta(seconds=4 + 12 * n),
            ended_at=started + timedelta(seconds=14 + 12 * n), started_by=session.streamer,
        )  # fmt: skip
    length = 8 + 12 * len(items)
    LiveSession.objects.filter(pk=session.pk).update(
        state=SessionState.ENDED, ended_at=started + timedelta(seconds=length)
    )
    folder = Path(default_storage.path("live/recordings/demo"))
    folder.mkdir(parents=True, exist_ok=True)
    path = pattern_file_write(path=folder / f"{session.public_id}.flv", seconds=length,
                              size="426x240", fps=15)  # fmt: skip
    Recording.objects.create(session=session, path=str(path))
    Recording.objects.filter(session=session).update(
        finished_at=started + timedelta(seconds=length)
    )
    replay_request(session_id=session.pk)


@transaction.atomic
def demo_audience_load() -> tuple[LiveSession, LiveSession, LiveSession] | None:
    streamer = User.objects.filter(username=DEMO_STREAMER).first()
    buyer = User.objects.filter(username="buyer").first()
    scheduled = LiveSession.objects.filter(streamer=streamer, title=DEMO_TITLE).first()
    if streamer is None or buyer is None or scheduled is None:
        return None
    farmer = User.objects.filter(username=FARMER[0]).first() or user_create(
        username=FARMER[0], password=None, roles=[Role.STREAMER], display_name=FARMER[1]
    )
    on_air = _session(farmer, LIVE_TITLE, scheduled, hours_ago=0.5)
    replay = _session(streamer, REPLAY_TITLE, scheduled, hours_ago=26)
    _end_with_chapters(replay)
    Follow.objects.get_or_create(
        follower=buyer, streamer=streamer, defaults={"session": replay, "sms": True}
    )
    Reminder.objects.get_or_create(user=buyer, session=scheduled)
    return on_air, scheduled, replay


def demo_audience_write(write: Callable[[str], None]) -> None:
    sessions = demo_audience_load()
    if sessions is None:
        write("Audience demo skipped: no demo streamer, buyer or scheduled session.")
        return
    ids = ", ".join(str(s.pk) for s in sessions)
    write(f"Audience demo: channel http://127.0.0.1:8000/live/ (live, coming, replay: {ids});")
    write("  the demo buyer follows the demo streamer and has a reminder on the coming session.")
