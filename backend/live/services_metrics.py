"""Orders from the room and the per-minute figures of a session.

Orders come from order.* events whose source is the session (source_kind=live,
source_ref=str(session id)); GMV is paid less refunded; zero-amount (prize) orders count in
neither orders nor GMV. Viewers, peak and likes of a minute come from the room's Redis
counters (room_state), comments from the database. `minutes_roll` writes the rows of the
current and previous minute and pushes them to the studio (`live.metrics`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.realtime import broadcast
from backend.common.timefmt import iso_local
from backend.live import groups, room_state
from backend.live.broadcast import room_broadcast
from backend.live.models import Comment, LiveSession, MinuteFigure, RoomOrder

ZERO = Decimal("0.00")


def name_mask(name: str) -> str:
    """张三丰 → 张**; the first character and two stars, whatever the length."""
    name = name.strip()
    return f"{name[:1]}**" if name else "**"


def _session_of(payload: dict[str, Any]) -> LiveSession | None:
    if payload.get("source_kind") != "live":
        return None
    ref = str(payload.get("source_ref") or "")
    if not ref.isdigit():
        return None
    return LiveSession.objects.filter(pk=int(ref)).first()


def ticker_text(names: list[str], count: int) -> str:
    if count == 1:
        return _("%(name)s just ordered") % {"name": names[0]}
    return _("%(name)s and others, %(count)d people, just ordered") % {
        "name": names[0],
        "count": count,
    }


def order_paid_record(payload: dict[str, Any]) -> RoomOrder | None:
    """order.paid of a live order: recorded once, and into the room's ticker if a sale."""
    session = _session_of(payload)
    if session is None:
        return None
    buyer_id = payload.get("buyer_id")
    buyer = User.objects.filter(pk=int(buyer_id)).first() if buyer_id is not None else None
    paid_at = parse_datetime(str(payload["at"])) or timezone.now()
    order, created = RoomOrder.objects.get_or_create(
        order_id=int(payload["order_id"]),
        defaults={
            "session": session,
            "buyer_name": name_mask(str(buyer) if buyer else ""),
            "amount_paid": Decimal(str(payload["amount_paid"])),
            "paid_at": paid_at,
        },
    )
    if created and order.amount_paid > 0:
        entry = {"name": order.buyer_name, "at": iso_local(paid_at)}
        room_broadcast(session.pk, "live.order", entry)
    return order


def order_refunded_record(payload: dict[str, Any]) -> RoomOrder | None:
    if _session_of(payload) is None:
        return None
    refunded = Decimal(str(payload.get("amount_refunded") or "0"))
    RoomOrder.objects.filter(order_id=int(payload["order_id"])).update(
        amount_refunded=F("amount_refunded") + refunded
    )
    return RoomOrder.objects.filter(order_id=int(payload["order_id"])).first()


def _minute_start(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def minute_compute(*, session: LiveSession, minute: datetime) -> MinuteFigure:
    """Write the row of the minute starting at `minute` (aware, second 0) from the room's
    counters, the comments and the orders of that minute."""
    end = minute + timedelta(minutes=1)
    uv, peak, likes = room_state.minute_counts(session.pk, room_state.minute_of(minute.timestamp()))
    comments = Comment.objects.filter(
        session=session, created_at__gte=minute, created_at__lt=end
    ).count()
    sales = RoomOrder.objects.filter(
        session=session, paid_at__gte=minute, paid_at__lt=end, amount_paid__gt=0
    ).aggregate(n=Count("id"), paid=Sum("amount_paid"), refunded=Sum("amount_refunded"))
    gmv = (sales["paid"] or ZERO) - (sales["refunded"] or ZERO)
    row, _created = MinuteFigure.objects.update_or_create(
        session=session,
        minute=minute,
        defaults={"viewers": uv, "peak": peak, "likes": likes, "comments": comments,
                  "orders": sales["n"], "gmv": gmv},
    )  # fmt: skip
    return row


def minute_payload(row: MinuteFigure) -> dict[str, Any]:
    conversion = f"{row.orders / row.viewers:.4f}" if row.viewers else "0.0000"
    return {
        "minute": iso_local(row.minute),
        "viewers": row.viewers,
        "peak": row.peak,
        "likes": row.likes,
        "comments": row.comments,
        "orders": row.orders,
        "gmv": f"{row.gmv:.2f}",
        "conversion": conversion,
    }


def minutes_roll(*, session: LiveSession, at: datetime | None = None) -> list[MinuteFigure]:
    """The previous and the current minute, written and pushed to the studio."""
    now = _minute_start(at or timezone.now())
    rows = [minute_compute(session=session, minute=m) for m in (now - timedelta(minutes=1), now)]
    if session.started_at is not None:
        rows = [r for r in rows if r.minute >= _minute_start(session.started_at)]
    payload = {"session_id": session.pk, "minutes": [minute_payload(r) for r in rows]}
    broadcast(groups.studio(session.pk), "live.metrics", payload)
    return rows


def sessions_minutes_roll() -> int:
    """Beat: every live session (and one just ended, for its last minute)."""
    recent = timezone.now() - timedelta(minutes=2)
    sessions = LiveSession.objects.filter(
        state=LiveSession.State.LIVE
    ) | LiveSession.objects.filter(state=LiveSession.State.ENDED, ended_at__gte=recent)
    count = 0
    for session in sessions:
        minutes_roll(session=session)
        count += 1
    return count


def session_report(*, session: LiveSession) -> dict[str, Any]:
    """After (or during) the stream: totals and the per-minute series."""
    totals = room_state.totals(session.pk)
    sales = RoomOrder.objects.filter(session=session, amount_paid__gt=0).aggregate(
        n=Count("id"), paid=Sum("amount_paid"), refunded=Sum("amount_refunded")
    )
    gmv = (sales["paid"] or ZERO) - (sales["refunded"] or ZERO)
    uv = totals["unique_viewers"]
    return {
        "session_id": session.pk,
        "unique_viewers": uv,
        "peak_viewers": totals["peak"],
        "likes": totals["likes"],
        "watch_s": totals["watch_s"],
        "comments": Comment.objects.filter(session=session).count(),
        "orders": sales["n"],
        "gmv": f"{gmv:.2f}",
        "conversion": f"{sales['n'] / uv:.4f}" if uv else "0.0000",
        "minutes": [minute_payload(r) for r in MinuteFigure.objects.filter(session=session)],
    }
