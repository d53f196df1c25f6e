"""转推 targets of a session: the streamer adds a platform's server URL and stream key
(encrypted at rest), switches a target on or off, removes it. The supervising process
(restream_supervisor) pushes to every enabled target while the session is live."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from backend.common.errors import Conflict, Invalid
from backend.live.errors import LiveErrorCode
from backend.live.lock_objects import session_lock
from backend.live.models import LiveSession
from backend.live.models_media import RestreamTarget

MAX_TARGETS = 6


def _server_url_checked(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("rtmp", "rtmps") or not parts.hostname or parts.query:
        raise Invalid(
            _("The server URL must look like rtmp://host/app (the key goes in its own field)."),
            code=LiveErrorCode.RESTREAM_URL_INVALID,
        )
    return url.strip().rstrip("/")


def restream_add(
    *, session: LiveSession, platform: str, label: str, server_url: str, stream_key: str
) -> RestreamTarget:
    server = _server_url_checked(server_url)
    with transaction.atomic():
        session_lock(session_id=session.pk)
        if session.restream_targets.count() >= MAX_TARGETS:
            raise Conflict(
                _("A session restreams to at most %(n)d places.") % {"n": MAX_TARGETS},
                code=LiveErrorCode.RESTREAM_TOO_MANY,
            )
        return RestreamTarget.objects.create(
            session=session,
            platform=platform,
            label=label.strip() or str(RestreamTarget.Platform(platform).label),
            server_url=server,
            stream_key=stream_key.strip(),
        )


def restream_enable(*, target: RestreamTarget, enabled: bool) -> RestreamTarget:
    RestreamTarget.objects.filter(pk=target.pk).update(enabled=enabled)
    target.refresh_from_db()
    return target


def restream_remove(*, target: RestreamTarget) -> None:
    target.delete()
