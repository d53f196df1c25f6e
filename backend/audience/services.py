"""Writes of the audience: follow (关注), 预约 reminders, and the notices they lead to.

Every job here is safe to run twice: a reminder is claimed by a conditional UPDATE of
its `sent_at` (or `cancel_told_at`) before anything is sent, and notices are unique per
(user, kind, session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.audience.errors import AudienceErrorCode
from backend.audience.models import Follow, NoticeKind, Reminder
from backend.audience.notify import notice_send
from backend.common.errors import Conflict, Invalid, NotFound
from backend.live.access import access_room
from backend.live.models import LiveSession

State = LiveSession.State
# Sessions a reminder is still worth sending for (a session that already went on air
# late still gets it; an ended one does not).
REMINDABLE = (State.SCHEDULED, State.REHEARSAL, State.LIVE)


def remind_minutes() -> int:
    return int(getattr(settings, "AUDIENCE_REMIND_MINUTES", 15))


def _streamer(streamer_id: int) -> User:
    """A streamer a viewer can see: someone with a session that is not private."""
    streamer = User.objects.filter(
        pk=streamer_id, live_sessions__state__in=[*REMINDABLE, State.ENDED]
    ).first()
    if streamer is None:
        raise NotFound()
    return streamer


def follow_add(*, user: User, streamer_id: int, session_id: int | None, sms: bool) -> Follow:
    """Follow a streamer; following again changes only the SMS choice (one follow)."""
    streamer = _streamer(streamer_id)
    if streamer.pk == user.pk:
        raise Invalid(_("You cannot follow yourself."), code=AudienceErrorCode.FOLLOW_SELF)
    session = None
    if session_id is not None:
        session = access_room(user=user, session_id=session_id).session
        if session.streamer_id != streamer.pk:
            session = None  # a follow counts for the session only when it is the streamer's
    try:
        with transaction.atomic():
            return Follow.objects.create(follower=user, streamer=streamer, session=session, sms=sms)
    except IntegrityError:
        Follow.objects.filter(follower=user, streamer=streamer).update(sms=sms)
        return Follow.objects.get(follower=user, streamer=streamer)


def follow_remove(*, user: User, streamer_id: int) -> None:
    Follow.objects.filter(follower=user, streamer_id=streamer_id).delete()


def reminder_add(*, user: User, session_id: int) -> Reminder:
    """预约 a session that has not started; asking twice keeps one reminder."""
    session = access_room(user=user, session_id=session_id).session
    if session.state not in (State.SCHEDULED, State.REHEARSAL):
        raise Conflict(
            _("This session is no longer taking reminders."), code=AudienceErrorCode.REMINDER_CLOSED
        )
    reminder, _created = Reminder.objects.get_or_create(user=user, session=session)
    return reminder


def reminder_remove(*, user: User, session_id: int) -> None:
    """One tap: the reminder is gone (nothing is sent for it any more)."""
    Reminder.objects.filter(user=user, session_id=session_id).delete()


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    told_cancelled: int


def _claim(reminder: Reminder, field: str, now: datetime) -> bool:
    rows = Reminder.objects.filter(pk=reminder.pk, cancel_told_at__isnull=True)
    if field == "sent_at":
        rows = rows.filter(sent_at__isnull=True)
    return bool(rows.update(**{field: now}))


def _deliver(reminder: Reminder, *, field: str, kind: str, now: datetime) -> bool:
    with transaction.atomic():
        if not _claim(reminder, field, now):
            return False  # another run had it
        notice_send(user=reminder.user, kind=kind, session=reminder.session, sms=True)
        return True


def reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """The beat job: remind everyone whose session starts within the lead time, and tell
    those whose session was cancelled. Each reminder goes out once, however often this
    runs and however many run at once."""
    now = now or timezone.now()
    pending = Reminder.objects.select_related("user", "session__streamer")
    due = pending.filter(
        sent_at__isnull=True,
        cancel_told_at__isnull=True,
        session__state__in=REMINDABLE,
        session__scheduled_start__lte=now + timedelta(minutes=remind_minutes()),
    )
    cancelled = pending.filter(cancel_told_at__isnull=True, session__state=State.CANCELLED)
    sent = sum(_deliver(r, field="sent_at", kind=NoticeKind.REMINDER, now=now) for r in due)
    told = sum(
        _deliver(r, field="cancel_told_at", kind=NoticeKind.CANCELLED, now=now) for r in cancelled
    )
    return ReminderRun(sent=sent, told_cancelled=told)


def followers_tell_live(*, session_id: int) -> int:
    """live.started: every follower of the streamer gets an on-site notice (and an SMS
    when they asked for one). Delivered twice, the event tells nobody twice."""
    session = LiveSession.objects.select_related("streamer").filter(pk=session_id).first()
    if session is None or session.state != State.LIVE:
        return 0
    follows = Follow.objects.filter(streamer_id=session.streamer_id).select_related("follower")
    told = 0
    with transaction.atomic():
        for follow in follows:
            told += notice_send(
                user=follow.follower, kind=NoticeKind.GO_LIVE, session=session, sms=follow.sms
            )
    return told
