"""Stream health for the console: figures from nginx's stat page every few seconds, and
warnings in words (bitrate falling, keyframe interval not about 2 s, encoder gone).

The latest snapshot of each session lives in the cache (one key per session, shared by
every process); a beat task polls, the console reads it and gets it pushed.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.live.broadcast import health_broadcast
from backend.live.media import media_settings
from backend.live.models import LiveSession
from backend.live.models import SessionState as S
from backend.live.services_ingest import publisher_lost
from streaming import MediaError, StreamStat, health_warnings, keyframe_interval_check, stat_fetch
from streaming.health import WarningCode, recent_bitrate_bps, stream_find
from streaming.probe import KeyframeReport

log = logging.getLogger(__name__)

CACHE_TTL_S = 120
ENCODER_GONE = "stream.encoder_gone"


def _stat_key(session_id: int) -> str:
    return f"live:health:{session_id}"


def _keyframe_key(session_id: int) -> str:
    return f"live:keyframes:{session_id}"


@dataclass(frozen=True)
class HealthWarningOut:
    code: str
    message: str


def _words(code: str, message: str, keyframes: KeyframeReport | None) -> str:
    """The warning in the console's language (streaming's own text is English)."""
    if code == WarningCode.PUBLISHER_GONE:
        return _("The encoder stopped sending.")
    if code == WarningCode.BITRATE_FALLING:
        return _("The bitrate is falling: %(detail)s.") % {"detail": message}
    if code == WarningCode.KEYFRAME_INTERVAL and keyframes and keyframes.interval_s:
        return _(
            "A keyframe every %(interval).1f s: set the encoder's keyframe interval to 2 s."
        ) % {"interval": keyframes.interval_s}
    return message


def _gone_warning(session: LiveSession) -> HealthWarningOut | None:
    if session.publishing or session.publisher_left_at is None or session.state != S.LIVE:
        return None
    left = session.publisher_left_at
    remaining = settings.LIVE_RECONNECT_GRACE_SECONDS - (timezone.now() - left).total_seconds()
    message = _("The encoder is gone. Reconnect within %(seconds)d s or the session ends.") % {
        "seconds": max(0, int(remaining))
    }
    return HealthWarningOut(code=ENCODER_GONE, message=message)


def _keyframes(session_id: int) -> KeyframeReport | None:
    data = cache.get(_keyframe_key(session_id))
    return KeyframeReport(**data) if data else None


def health_snapshot(
    *, session: LiveSession, previous: StreamStat | None, current: StreamStat | None
) -> dict[str, Any]:
    keyframes = _keyframes(session.pk)
    warnings = [
        HealthWarningOut(code=str(w.code), message=_words(w.code, w.message, keyframes))
        for w in health_warnings(previous=previous, current=current, keyframes=keyframes)
    ]
    gone = _gone_warning(session)
    if gone is not None and not any(w.code == WarningCode.PUBLISHER_GONE for w in warnings):
        warnings.append(gone)
    recent = (
        recent_bitrate_bps(previous=previous, current=current)
        if previous is not None and current is not None
        else None
    )
    bitrate = recent if recent is not None else (current.avg_bitrate_bps if current else 0)
    return {
        "session_id": session.pk,
        "at": timezone.localtime().isoformat(),
        "publishing": current is not None and current.publishing,
        "bitrate_kbps": bitrate // 1000,
        "fps": current.fps if current else None,
        "width": current.width if current else None,
        "height": current.height if current else None,
        "video_codec": current.video_codec if current else None,
        "audio_codec": current.audio_codec if current else None,
        "uptime_s": int(current.uptime_s) if current else 0,
        "keyframe_interval_s": keyframes.interval_s if keyframes else None,
        "warnings": [asdict(w) for w in warnings],
    }


def session_health(*, session: LiveSession) -> dict[str, Any] | None:
    """The latest snapshot the poll stored, or None before the first poll."""
    stored = cache.get(_stat_key(session.pk))
    return dict(stored["snapshot"]) if stored else None


def _missing_key(session_id: int, client_id: str) -> str:
    return f"live:missing:{session_id}:{client_id}"


def _publisher_missing(session: LiveSession, current: StreamStat | None) -> bool:
    """Whether the session's encoder, absent from the stat page for LIVE_PUBLISHER_LOST_SECONDS
    (counted from the first poll that missed it), has now been declared lost."""
    key = _missing_key(session.pk, session.publisher_client_id)
    if current is not None and current.publishing:
        cache.delete(key)
        return False
    now = timezone.now()
    cache.add(key, now.isoformat(), CACHE_TTL_S)
    missing_since = datetime.fromisoformat(cache.get(key, now.isoformat()))
    if (now - missing_since).total_seconds() < settings.LIVE_PUBLISHER_LOST_SECONDS:
        return False
    cache.delete(key)
    return publisher_lost(
        session_id=session.pk, client_id=session.publisher_client_id, missing_since=missing_since
    )


def sessions_health_poll() -> int:
    """Read the stat page once; store and push a snapshot for every session on the air."""
    sessions = list(
        LiveSession.objects.filter(state__in=[S.REHEARSAL, S.LIVE]).exclude(
            publisher_left_at__isnull=True, publisher_client_id=""
        )
    )
    if not sessions:
        return 0
    media = media_settings()
    try:
        streams = stat_fetch(url=media.stat_url)
    except (MediaError, OSError, ValueError) as exc:
        log.warning("stat page unreadable: %s", exc)
        streams = []
    for session in sessions:
        current = stream_find(streams=streams, app=media.show_app, name=session.public_id)
        if session.publishing and _publisher_missing(session, current):
            session.refresh_from_db()
        stored = cache.get(_stat_key(session.pk))
        previous = StreamStat(**stored["stat"]) if stored and stored["stat"] else None
        snapshot = health_snapshot(session=session, previous=previous, current=current)
        stat = asdict(current) if current else None
        cache.set(_stat_key(session.pk), {"stat": stat, "snapshot": snapshot}, CACHE_TTL_S)
        health_broadcast(session_id=session.pk, payload=snapshot)
    return len(sessions)


def session_keyframes_check(*, session: LiveSession, sample_s: float = 6.0) -> KeyframeReport:
    """Sample the live stream's keyframes (a few seconds of ffmpeg: the media queue)."""
    media = media_settings()
    report = keyframe_interval_check(
        source=media.show_url(public_id=session.public_id), sample_s=sample_s
    )
    cache.set(_keyframe_key(session.pk), asdict(report), 3600)
    return report
