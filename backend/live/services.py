"""Writes of live sessions: create, move through the states, keys, assistants, profiles.

States: scheduled → rehearsal (the encoder connects) → live (开播) → ended; scheduled or
rehearsal → cancelled. Every move is locked, checked against ALLOWED, recorded in the
timeline and broadcast after commit; going on and off air publishes live.started/ended.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Membership, User
from backend.common.errors import Conflict, Forbidden, Invalid, NotFound
from backend.common.events import publish
from backend.live.broadcast import session_state_broadcast
from backend.live.errors import LiveErrorCode
from backend.live.lock_objects import session_lock
from backend.live.media import media_settings
from backend.live.models import Assistant, KeyAudit, LiveSession, SessionMove, StreamerProfile
from backend.live.models import SessionState as S
from backend.live.services_lineup import explanation_close
from backend.live.services_replay import replay_request
from streaming import MediaError
from streaming.control import publisher_drop

log = logging.getLogger(__name__)

# to-state -> the states it may be reached from
ALLOWED: dict[str, set[str]] = {
    S.REHEARSAL: {S.SCHEDULED},
    S.LIVE: {S.REHEARSAL},
    S.ENDED: {S.LIVE},
    S.CANCELLED: {S.SCHEDULED, S.REHEARSAL},
}


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    return "qs" + secrets.token_hex(20)


def _new_public_id() -> str:
    return "s" + secrets.token_hex(10)


def streamer_is_verified(*, user: User) -> bool:
    return StreamerProfile.objects.filter(user=user, verified_at__isnull=False).exists()


def session_create(
    *,
    streamer: User,
    title: str,
    scheduled_start: datetime,
    description: str = "",
    cover_url: str = "",
    organisation_id: int | None = None,
) -> LiveSession:
    if scheduled_start < timezone.now():
        raise Invalid(_("The scheduled start is in the past."), code=LiveErrorCode.SCHEDULE_IN_PAST)
    if organisation_id is not None:
        member = Membership.objects.filter(user=streamer, organisation_id=organisation_id)
        if not member.exists():
            raise Invalid(
                _("You are not a member of that organisation."), code=LiveErrorCode.NOT_A_MEMBER
            )
    key = _new_key()
    session = LiveSession(
        streamer=streamer,
        organisation_id=organisation_id,
        title=title,
        description=description,
        cover_url=cover_url,
        scheduled_start=scheduled_start,
        public_id=_new_public_id(),
        stream_key=key,
        key_hash=key_hash(key),
    )
    session.full_clean()
    session.save()
    return session


def session_update(*, session: LiveSession, changes: dict[str, Any]) -> LiveSession:
    """Edit title, description, cover or start while the session is not on air yet."""
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        if locked.state not in (S.SCHEDULED, S.REHEARSAL):
            raise Conflict(
                _("Only a session that is not on air yet can be edited."),
                code=LiveErrorCode.SESSION_ILLEGAL_TRANSITION,
                extra={"from": locked.state},
            )
        start = changes.get("scheduled_start")
        if start is not None and start < timezone.now():
            raise Invalid(
                _("The scheduled start is in the past."), code=LiveErrorCode.SCHEDULE_IN_PAST
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    return locked


def _event_payload(session: LiveSession, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": session.pk,
        "streamer_id": session.streamer_id,
        "seller_org_id": session.organisation_id,
        "public_id": session.public_id,
        "title": session.title,
        **extra,
    }


def _publish_move(session: LiveSession, to: str, reason: str) -> None:
    if to == S.LIVE and session.started_at is not None:
        publish("live.started", _event_payload(session, at=session.started_at.isoformat()))
    elif to == S.ENDED and session.started_at is not None:
        now = session.ended_at or timezone.now()
        duration = int((now - session.started_at).total_seconds())
        payload = _event_payload(
            session,
            started_at=session.started_at.isoformat(),
            duration_seconds=duration,
            reason=reason,
            at=now.isoformat(),
        )
        publish("live.ended", payload)


def session_move(
    *, session: LiveSession, to: str, by: User | None, note: str = "", **fields: Any
) -> LiveSession:
    """The one way a session changes state: locked, checked, recorded, published."""
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        if locked.state not in ALLOWED.get(to, set()):
            raise Conflict(
                _("A session cannot go from %(src)s to %(dst)s.")
                % {"src": locked.state, "dst": to},
                code=LiveErrorCode.SESSION_ILLEGAL_TRANSITION,
                extra={"from": locked.state, "to": to},
            )
        source = locked.state
        locked.state = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        SessionMove.objects.create(session=locked, from_state=source, to_state=to, by=by, note=note)
        _publish_move(locked, to, note)
        session_state_broadcast(session=locked)
    return locked


def encoder_drop_after_commit(*, public_id: str) -> None:
    """Disconnect the session's encoder once the change that cut it is committed."""

    def drop() -> None:
        try:
            publisher_drop(settings=media_settings(), public_id=public_id)
        except MediaError as exc:
            log.warning("could not drop the encoder of %s: %s", public_id, exc)

    transaction.on_commit(drop)


def _off_air_fields(session: LiveSession) -> dict[str, Any]:
    if session.publishing:
        encoder_drop_after_commit(public_id=session.public_id)
    return {"publisher_client_id": "", "publisher_left_at": timezone.now()}


def session_go_live(*, session: LiveSession, by: User) -> LiveSession:
    """开播: the rehearsing stream becomes public, without the encoder reconnecting."""
    if not streamer_is_verified(user=session.streamer):
        raise Forbidden(
            _("The streamer's real-name details are not verified yet: rehearse only."),
            code=LiveErrorCode.STREAMER_UNVERIFIED,
        )
    if not session.publishing:
        raise Conflict(
            _("No signal: start the encoder, then go live."), code=LiveErrorCode.NO_SIGNAL
        )
    return session_move(session=session, to=S.LIVE, by=by, started_at=timezone.now())


def session_end(*, session: LiveSession, by: User | None, reason: str) -> LiveSession:
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        explanation_close(session=locked)
        ended = session_move(
            session=locked,
            to=S.ENDED,
            by=by,
            note=reason,
            ended_at=timezone.now(),
            **_off_air_fields(locked),
        )
        # The encoder already gone and its recording in: the replay can start now.
        replay_request(session_id=ended.pk)
        return ended


def session_cancel(*, session: LiveSession, by: User, reason: str) -> LiveSession:
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        return session_move(
            session=locked, to=S.CANCELLED, by=by, note=reason, **_off_air_fields(locked)
        )


def stream_key_reveal(*, session: LiveSession, by: User, addr: str) -> str:
    """The key, for its streamer only (access checks that); every reveal is logged."""
    KeyAudit.objects.create(session=session, user=by, action=KeyAudit.Action.REVEAL, addr=addr)
    return str(session.stream_key)


def stream_key_rotate(*, session: LiveSession, by: User, addr: str) -> str:
    """A new key; the old one stops at once and its encoder is dropped."""
    if session.state in (S.ENDED, S.CANCELLED):
        raise Conflict(
            _("The session is over; its key cannot change."),
            code=LiveErrorCode.SESSION_ILLEGAL_TRANSITION,
        )
    key = _new_key()
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        fields = _off_air_fields(locked) if locked.publishing else {}
        for name, value in {**fields, "stream_key": key, "key_hash": key_hash(key)}.items():
            setattr(locked, name, value)
        locked.key_rotated_at = timezone.now()
        locked.save()
        KeyAudit.objects.create(session=locked, user=by, action=KeyAudit.Action.ROTATE, addr=addr)
        session_state_broadcast(session=locked)
    return key


def assistant_add(*, session: LiveSession, username: str) -> Assistant:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or user.pk == session.streamer_id:
        raise Invalid(
            _("No such user can assist this session."), code=LiveErrorCode.ASSISTANT_INVALID
        )
    assistant, _created = Assistant.objects.get_or_create(session=session, user=user)
    return assistant


def assistant_remove(*, session: LiveSession, user_id: int) -> None:
    deleted, _rows = Assistant.objects.filter(session=session, user_id=user_id).delete()
    if not deleted:
        raise NotFound()


def streamer_profile_submit(*, user: User, real_name: str, id_number: str) -> StreamerProfile:
    profile = StreamerProfile.objects.filter(user=user).first()
    if profile is not None and profile.verified_at is not None:
        raise Conflict(
            _("Your details are verified already."), code=LiveErrorCode.PROFILE_ALREADY_VERIFIED
        )
    profile = profile or StreamerProfile(user=user)
    profile.real_name = real_name
    profile.id_number = id_number
    profile.full_clean()
    profile.save()
    return profile


def streamer_verify(*, profile: StreamerProfile, by: User) -> StreamerProfile:
    profile.verified_at = timezone.now()
    profile.verified_by = by
    profile.save(update_fields=["verified_at", "verified_by"])
    return profile
