"""nginx-rtmp's hooks, answered through `streaming.callback_handle` with the shared secret.

on_publish: a key is accepted for a session that may be on air now (scheduled and due
within LIVE_PUSH_EARLY_SECONDS → rehearsal; a rehearsal; a live session whose encoder
left less than the grace period ago); a second encoder on a key in use is refused.
on_publish_done: the encoder left (a live session ends when it does not come back within
the grace period: `sessions_end_abandoned`).
on_record_done: the recording is kept; once the session has ended and its encoder left,
either hook (whichever comes last) queues the replay (services_replay).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.live.broadcast import session_state_broadcast
from backend.live.lock_objects import session_lock, session_lock_by_key_hash
from backend.live.media import media_settings
from backend.live.models import LiveSession, Recording
from backend.live.models import SessionState as S
from backend.live.services import key_hash, session_end, session_move
from backend.live.services_replay import replay_request
from streaming import (
    Accept,
    CallbackAnswer,
    CallbackEvent,
    PublishDecision,
    PublishDone,
    PublishRequest,
    RecordDone,
    Refuse,
    callback_handle,
)

log = logging.getLogger(__name__)

ENCODER_GONE = "encoder gone"
KEYFRAME_CHECK_DELAY_S = 6


def _grace() -> timedelta:
    return timedelta(seconds=settings.LIVE_RECONNECT_GRACE_SECONDS)


def _abandoned(session: LiveSession) -> bool:
    left = session.publisher_left_at
    return left is not None and timezone.now() - left > _grace()


def _too_early(session: LiveSession) -> bool:
    early = timedelta(seconds=settings.LIVE_PUSH_EARLY_SECONDS)
    return session.scheduled_start - timezone.now() > early


def _keyframes_check_later(session_id: int) -> None:
    """Sample the new stream's keyframes once it has run a few seconds (media queue)."""
    # Imported here: tasks import these services.
    from backend.live.tasks import media_keyframes_check

    media_keyframes_check.apply_async(args=[session_id], countdown=KEYFRAME_CHECK_DELAY_S)


def _publisher_set(session: LiveSession, client_id: str) -> None:
    session.publisher_client_id = client_id or "?"
    session.publisher_since = timezone.now()
    session.publisher_left_at = None
    session.save(update_fields=["publisher_client_id", "publisher_since", "publisher_left_at"])
    transaction.on_commit(lambda: _keyframes_check_later(session.pk))


def publish_decide(request: PublishRequest) -> PublishDecision:
    with transaction.atomic():
        session = session_lock_by_key_hash(digest=key_hash(request.stream_key))
        if session is None:
            return Refuse(reason="unknown stream key")
        if session.publishing:
            log.warning("second encoder refused for session %s", session.pk)
            return Refuse(reason="another encoder is publishing")
        if session.state == S.LIVE and _abandoned(session):
            session_end(session=session, by=None, reason=ENCODER_GONE)
            return Refuse(reason="the session has ended")
        if session.state not in (S.SCHEDULED, S.REHEARSAL, S.LIVE):
            return Refuse(reason="the session is not open for streaming")
        if session.state == S.SCHEDULED and _too_early(session):
            return Refuse(reason="the session starts later")
        _publisher_set(session, request.client_id)
        if session.state == S.SCHEDULED:
            session_move(session=session, to=S.REHEARSAL, by=None, note="encoder connected")
        else:
            session_state_broadcast(session=session)
        return Accept(public_id=session.public_id)


def publish_done(event: PublishDone) -> None:
    with transaction.atomic():
        session = session_lock_by_key_hash(digest=key_hash(event.stream_key))
        # A refused encoder's done, or one cut by a rotation: not the current publisher.
        if session is None or session.publisher_client_id != (event.client_id or "?"):
            return
        session.publisher_client_id = ""
        session.publisher_left_at = timezone.now()
        session.save(update_fields=["publisher_client_id", "publisher_left_at"])
        session_state_broadcast(session=session)
        replay_request(session_id=session.pk)  # an ended session's last recording is done


def publisher_lost(*, session_id: int, client_id: str, missing_since: datetime) -> bool:
    """The stat page has not listed the encoder since ``missing_since`` (nginx crashed or
    restarted, and its on_publish_done never came): treat it as gone from then, so the
    reconnect grace period runs and the sweep ends an abandoned session."""
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        since = session.publisher_since
        if session.publisher_client_id != client_id or (since and since > missing_since):
            return False  # it reconnected, or a new encoder came, in the meantime
        log.warning("session %s: encoder %s lost without a done hook", session_id, client_id)
        session.publisher_client_id = ""
        session.publisher_left_at = missing_since
        session.save(update_fields=["publisher_client_id", "publisher_left_at"])
        session_state_broadcast(session=session)
    return True


def record_done(event: RecordDone) -> None:
    session = LiveSession.objects.filter(public_id=event.public_id).first()
    if session is None:
        log.warning("recording of an unknown public id %s", event.public_id)
        return
    Recording.objects.get_or_create(
        session=session,
        path=str(event.path),
        defaults={
            "keep_until": timezone.now() + timedelta(days=settings.LIVE_MEDIA_RETENTION_DAYS)
        },
    )
    replay_request(session_id=session.pk)


def _notify(event: CallbackEvent) -> None:
    if isinstance(event, PublishDone):
        publish_done(event)
    elif isinstance(event, RecordDone):
        record_done(event)


def rtmp_callback(
    *, event: str, query: Mapping[str, str], form: Mapping[str, str]
) -> CallbackAnswer:
    """Check the secret, parse, decide: 403 without the secret and nothing changes."""
    return callback_handle(
        event=event,
        query=query,
        form=form,
        settings=media_settings(),
        decide=publish_decide,
        notify=_notify,
    )


def sessions_end_abandoned() -> int:
    """End live sessions whose encoder left more than the grace period ago."""
    cutoff = timezone.now() - _grace()
    ids = LiveSession.objects.filter(
        state=S.LIVE, publisher_client_id="", publisher_left_at__lt=cutoff
    ).values_list("pk", flat=True)
    ended = 0
    for session_id in list(ids):
        with transaction.atomic():
            session = session_lock(session_id=session_id)
            if session.state == S.LIVE and not session.publishing and _abandoned(session):
                session_end(session=session, by=None, reason=ENCODER_GONE)
                ended += 1
    return ended
