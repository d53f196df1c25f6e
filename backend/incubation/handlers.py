"""Incubation listens to what people did elsewhere (live, orders, stores, training) and
re-evaluates the milestones of the incubatees concerned. Every handler recomputes from the
records, so a re-delivered event changes nothing."""

from __future__ import annotations

from datetime import datetime

from django.utils.dateparse import parse_datetime

from backend.common.events import Event, handler
from backend.incubation import services
from backend.live.models import LiveSession


def _at(event: Event) -> datetime:
    parsed = parse_datetime(str(event.payload.get("at") or ""))
    return parsed or event.created_at


def _order_concerned(event: Event) -> None:
    payload = event.payload
    users: set[int] = set()
    orgs: set[int] = set()
    if payload["source_kind"] == "live" and str(payload["source_ref"]).isdigit():
        session = LiveSession.objects.filter(pk=int(payload["source_ref"])).first()
        if session is None:
            return
        users.add(session.streamer_id)
        if session.organisation_id:
            orgs.add(session.organisation_id)
    elif payload["source_kind"] == "store":
        orgs.add(int(payload["seller_org_id"]))
    else:
        return
    services.milestones_evaluate_for(user_ids=users, organisation_ids=orgs, at=_at(event))


def _credits(payload: dict[str, object]) -> bool:
    """Sales of a live session or a store; a prize (0 yuan) is never a sale."""
    return (
        payload.get("source_kind") in ("live", "store") and payload.get("payment_kind") != "prize"
    )


@handler("order.paid", when=_credits)
def on_order_paid(event: Event) -> None:
    _order_concerned(event)


@handler("order.refunded", when=_credits)
def on_order_refunded(event: Event) -> None:
    _order_concerned(event)


@handler("live.ended")
def on_live_ended(event: Event) -> None:
    org = event.payload["seller_org_id"]
    services.milestones_evaluate_for(
        user_ids={int(event.payload["streamer_id"])},
        organisation_ids={int(org)} if org else set(),
        at=_at(event),
    )


@handler("store.bound")
def on_store_bound(event: Event) -> None:
    services.milestones_evaluate_for(
        user_ids=set(), organisation_ids={int(event.payload["organisation_id"])}, at=_at(event)
    )


@handler("training.attended")
def on_training_attended(event: Event) -> None:
    at = _at(event)
    person = int(event.payload["person_id"])
    services.training_attendance_record(
        training_session_id=int(event.payload["session_id"]), person_id=person, at=at
    )
    services.milestones_evaluate_for(user_ids={person}, organisation_ids=set(), at=at)
