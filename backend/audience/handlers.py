"""Events the audience listens to: a streamer going live tells their followers."""

from __future__ import annotations

from backend.audience.services import followers_tell_live
from backend.common.events import Event, handler


@handler("live.started")
def audience_go_live(event: Event) -> None:
    followers_tell_live(session_id=int(event.payload["session_id"]))
