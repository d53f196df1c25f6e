"""The per-minute series and the session report on a known script of events: presence by
heartbeat, likes, comments, paid and refunded live orders, a prize order, a direct order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.common.events import handlers_concerned, load_handlers
from backend.live import room_state
from backend.live.models import Comment, LiveSession, MinuteFigure
from backend.live.services_metrics import (
    minutes_roll,
    order_paid_record,
    order_refunded_record,
    session_report,
)


@pytest.fixture
def script(live_now, make_user):
    session = LiveSession.objects.get(pk=live_now["id"])
    t0 = timezone.localtime(session.started_at).replace(second=0, microsecond=0)
    viewer = make_user(username="viewer9", display_name="王小二")

    def at(seconds: int) -> float:
        return (t0 + timedelta(seconds=seconds)).timestamp()

    def order(order_id: int, amount: str, seconds: int, kind: str = "live") -> dict:
        payload = {"order_id": order_id, "buyer_id": viewer.pk, "source_kind": kind,
                   "source_ref": str(session.pk), "amount_paid": amount,
                   "at": (t0 + timedelta(seconds=seconds)).isoformat()}  # fmt: skip
        order_paid_record(payload)
        return payload

    def comment(seconds: int) -> None:
        Comment.objects.create(
            session=session, user=viewer, text="好", created_at=t0 + timedelta(seconds=seconds)
        )

    sid = session.pk
    # Minute 0: three viewers (one anonymous), a reload of u1, 10 likes, 2 comments,
    # two sales (one refunded 5.00), a zero-amount prize and a direct order (not ours).
    room_state.tick_sync(sid, beats=["u1", "u2", "a-device-1"], at=at(5))
    room_state.tick_sync(sid, likes=10, at=at(10))
    room_state.tick_sync(sid, beats=["u1"], at=at(20))
    comment(15)
    comment(30)
    order(1, "59.90", 40)
    order(2, "0.00", 41)
    refunded = order(3, "20.00", 50)
    order(4, "99.00", 55, kind="direct")
    order_refunded_record({**refunded, "amount_refunded": "5.00"})
    # Minute 1: u1 comes back after more than 40 s (a new visit), u3 joins; 5 likes.
    room_state.tick_sync(sid, beats=["u1"], at=at(65))
    room_state.tick_sync(sid, beats=["u3"], likes=5, at=at(70))
    comment(80)
    order(5, "10.00", 90)
    return {"session": session, "t0": t0}


def test_the_minute_series_and_the_report_are_exact(script) -> None:
    session, t0 = script["session"], script["t0"]
    rows = minutes_roll(session=session, at=t0 + timedelta(seconds=95))
    assert [r.minute for r in rows] == [t0, t0 + timedelta(minutes=1)]
    series = session_report(session=session)
    assert series["minutes"] == [
        {"minute": t0.isoformat(), "viewers": 3, "peak": 3, "likes": 10, "comments": 2,
         "orders": 2, "gmv": "74.90", "conversion": "0.6667"},
        {"minute": (t0 + timedelta(minutes=1)).isoformat(), "viewers": 2, "peak": 2,
         "likes": 5, "comments": 1, "orders": 1, "gmv": "10.00", "conversion": "0.5000"},
    ]  # fmt: skip
    totals = {k: v for k, v in series.items() if k != "minutes"}
    assert totals == {
        "session_id": session.pk, "unique_viewers": 4, "peak_viewers": 3, "likes": 15,
        "watch_s": 15, "comments": 3, "orders": 3, "gmv": "84.90", "conversion": "0.7500",
    }  # fmt: skip
    # Rolling again rewrites the same rows, never adds.
    minutes_roll(session=session, at=t0 + timedelta(seconds=95))
    assert MinuteFigure.objects.filter(session=session).count() == 2


def test_only_live_orders_reach_the_handler() -> None:
    load_handlers()
    live = {"source_kind": "live", "source_ref": "7"}
    assert "backend.live.handlers.live_order_paid" in handlers_concerned("order.paid", live)
    direct = {"source_kind": "direct", "source_ref": ""}
    assert "backend.live.handlers.live_order_paid" not in handlers_concerned("order.paid", direct)
    assert "backend.live.handlers.live_order_refunded" in handlers_concerned("order.refunded", live)
