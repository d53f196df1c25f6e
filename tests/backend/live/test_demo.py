"""`manage.py demo_load` gives the demo streamer a verified profile and one scheduled session."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backend.live.demo import DEMO_TITLE
from backend.live.models import LineupItem, LiveSession, StreamerProfile

pytestmark = pytest.mark.django_db


def test_the_demo_streamer_has_a_scheduled_session_idempotently() -> None:
    call_command("demo_load")
    call_command("demo_load")
    # Incubation's demo adds sessions already held (ended); live's own is the open one.
    open_sessions = LiveSession.objects.exclude(state="ended")
    sessions = list(open_sessions.values_list("streamer__username", "title", "state"))
    assert sessions == [("streamer", DEMO_TITLE, "scheduled")]
    profile = StreamerProfile.objects.get()
    assert (profile.user.username, profile.verified_at is not None) == ("streamer", True)
    assert LineupItem.objects.count() == 3
    assert set(LineupItem.objects.values_list("state", flat=True)) == {"hidden"}
