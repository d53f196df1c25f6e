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
    # Incubation's demo adds sessions already held (ended), the audience's one of another
    # streamer on air; live's own is the demo streamer's open one.
    open_sessions = LiveSession.objects.exclude(state="ended").filter(streamer__username="streamer")
    sessions = list(open_sessions.values_list("streamer__username", "title", "state"))
    assert sessions == [("streamer", DEMO_TITLE, "scheduled")]
    profile = StreamerProfile.objects.get()
    assert (profile.user.username, profile.verified_at is not None) == ("streamer", True)
    lineup = LineupItem.objects.filter(session__title=DEMO_TITLE)
    assert lineup.count() == 3
    assert set(lineup.values_list("state", flat=True)) == {"hidden"}


def test_the_demo_room_comments_and_places_paid_live_orders(settings) -> None:
    from django.utils import timezone

    from backend.common.models import OutboxEvent
    from backend.live.demo import demo_live_order, demo_room_step
    from backend.live.models import Comment, RoomOrder
    from backend.live.services_metrics import order_paid_record

    call_command("demo_load")
    session = LiveSession.objects.get(title=DEMO_TITLE, streamer__username="streamer")
    settings.DEBUG = True
    assert demo_room_step() == "not live"
    LiveSession.objects.filter(pk=session.pk).update(state="live", started_at=timezone.now())
    settings.DEBUG = False
    assert demo_room_step() == "off"
    settings.DEBUG = True
    assert demo_room_step() in ("comment", "comment and order")
    comment = Comment.objects.get(session=session)
    assert comment.user.username in ("viewer-liu", "viewer-wang", "viewer-chen")
    demo_live_order(session=session, key="demo-live-test")
    event = OutboxEvent.objects.filter(name="order.paid").latest("id")
    assert (event.payload["source_kind"], event.payload["source_ref"]) == ("live", str(session.pk))
    order_paid_record(event.payload)  # what live's handler does when the event is delivered
    order = RoomOrder.objects.get(order_id=event.payload["order_id"])
    assert (order.session_id, order.buyer_name) == (session.pk, "买**")
