"""`manage.py demo_load` (make run) gives the channel a session on air, one coming and a
replay with chapters, a follow and a 预约, however often it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from backend.audience.demo import LIVE_TITLE, REPLAY_TITLE, demo_audience_load
from backend.audience.models import Follow, Reminder
from backend.live.demo import DEMO_TITLE
from backend.live.models import Explanation, Recording
from backend.live.models_media import Replay

pytestmark = pytest.mark.django_db


def test_the_demo_channel_has_live_coming_and_a_replay(client) -> None:
    call_command("demo_load")
    demo_audience_load()  # again: nothing doubles
    channel = client.get("/api/v1/audience/channel").json()
    assert [s["title"] for s in channel["live"]] == [LIVE_TITLE]
    assert [s["title"] for s in channel["coming"]] == [DEMO_TITLE]
    assert REPLAY_TITLE in [s["title"] for s in channel["replays"]]
    replay = next(s for s in channel["replays"] if s["title"] == REPLAY_TITLE)
    assert Explanation.objects.filter(session_id=replay["id"]).count() == 3
    # Its recording (a test pattern) waits for the replay job: "processing" on the watch page.
    (recording,) = Recording.objects.filter(session_id=replay["id"])
    assert Path(recording.path).stat().st_size > 10_000
    assert Replay.objects.get(session_id=replay["id"]).state == "pending"
    follow = Follow.objects.get()
    assert (follow.follower.username, follow.streamer.username, follow.sms) == (
        "buyer", "streamer", True,
    )  # fmt: skip
    reminder = Reminder.objects.get()
    assert (reminder.user.username, reminder.session.title) == ("buyer", DEMO_TITLE)
