"""Celery tasks of live sessions: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.live.models import LiveSession
from backend.live.services_health import session_keyframes_check, sessions_health_poll
from backend.live.services_ingest import sessions_end_abandoned


@shared_task(name="backend.live.tasks.live_sessions_end_abandoned")
def live_sessions_end_abandoned() -> int:
    return sessions_end_abandoned()


@shared_task(name="backend.live.tasks.live_health_poll", ignore_result=True)
def live_health_poll() -> int:
    return sessions_health_poll()


# The name says media_: routed to the `media` queue (worker/celery.py): ffmpeg samples.
@shared_task(name="backend.live.tasks.media_keyframes_check", ignore_result=True)
def media_keyframes_check(session_id: int) -> float | None:
    session = LiveSession.objects.filter(pk=session_id, publisher_client_id__gt="").first()
    if session is None:
        return None
    return session_keyframes_check(session=session).interval_s


@shared_task(name="backend.live.tasks.live_minutes_roll", ignore_result=True)
def live_minutes_roll() -> int:
    from backend.live.services_metrics import sessions_minutes_roll

    return sessions_minutes_roll()


@shared_task(name="backend.live.tasks.live_demo_room", ignore_result=True)
def live_demo_room() -> str:
    from backend.live.demo import demo_room_step

    return demo_room_step()


# media_: the `media` queue. Each job claims its row, so a redelivered or doubled task is
# harmless; the resume sweep requeues what a dead worker left.
@shared_task(name="backend.live.tasks.media_replay_build", ignore_result=True)
def media_replay_build(session_id: int) -> str:
    from backend.live.services_replay import replay_build

    return replay_build(session_id=session_id)


@shared_task(name="backend.live.tasks.media_clip_make", ignore_result=True)
def media_clip_make(clip_id: int) -> str:
    from backend.live.services_clips import clip_make

    return clip_make(clip_id=clip_id)


@shared_task(name="backend.live.tasks.live_media_resume", ignore_result=True)
def live_media_resume() -> int:
    from backend.live.services_clips import clips_resume
    from backend.live.services_replay import replays_resume

    return replays_resume() + clips_resume()


@shared_task(name="backend.live.tasks.live_retention_sweep", ignore_result=True)
def live_retention_sweep() -> int:
    from backend.live.services_retention import retention_sweep

    return retention_sweep()
