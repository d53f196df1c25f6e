"""On-site notices and the SMS beside them. A notice is made once per (user, kind,
session) — the unique constraint decides, so a job or handler that runs twice sends
nothing twice; its SMS leaves after commit, through the platform's SmsProvider."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.accounts.sms import SmsUnavailable, get_sms_provider
from backend.audience.models import Notice, NoticeKind
from backend.live.models import LiveSession

logger = logging.getLogger(__name__)


def watch_url(session_id: int) -> str:
    return f"{settings.SITE_URL}/live/{session_id}/"


def _start_text(session: LiveSession) -> str:
    return timezone.localtime(session.scheduled_start).strftime("%m-%d %H:%M")


def notice_text(*, kind: str, session: LiveSession) -> str:
    """The notice's words (also the SMS), in the platform's language."""
    values = {
        "streamer": str(session.streamer),
        "title": session.title,
        "start": _start_text(session),
        "url": watch_url(session.pk),
    }
    if kind == NoticeKind.GO_LIVE:
        return _("%(streamer)s is live now: %(title)s %(url)s") % values
    if kind == NoticeKind.REMINDER:
        return _("Starts at %(start)s: %(streamer)s · %(title)s %(url)s") % values
    return _("Cancelled: %(streamer)s · %(title)s (%(start)s); no reminder will come.") % values


def _sms_send(phone: str, text: str) -> None:
    try:
        get_sms_provider().send(phone=phone, text=text)
    except SmsUnavailable:
        # Not retried: a late "starts soon" is worse than none; the on-site notice stays.
        logger.warning("audience sms not sent: the provider is unavailable")


def notice_send(*, user: User, kind: str, session: LiveSession, sms: bool) -> bool:
    """Make the notice unless it exists; True when made. The SMS (when asked for and the
    user has a phone) leaves after the surrounding transaction commits."""
    text = notice_text(kind=kind, session=session)
    try:
        with transaction.atomic():
            Notice.objects.create(user=user, kind=kind, session=session, text=text)
    except IntegrityError:
        return False
    phone = user.phone
    if sms and phone:
        transaction.on_commit(lambda: _sms_send(phone, text))
    return True


def notices_read(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
