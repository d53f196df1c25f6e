"""Campaigns listen to orders and sessions (a contest's figures move: its board is pushed)
and to their own final results (the awards are granted, each published once)."""

from __future__ import annotations

from typing import Any

from backend.campaigns.broadcast import board_changed
from backend.campaigns.models import CampaignKind, CampaignSession
from backend.campaigns.services_contest import awards_grant
from backend.common.events import Event, handler


def _from_live(payload: dict[str, Any]) -> bool:
    return payload.get("source_kind") == "live" and str(payload.get("source_ref", "")).isdigit()


def _boards_of_session(session_id: int) -> None:
    ids = CampaignSession.objects.filter(
        session_id=session_id, campaign__kind=CampaignKind.CONTEST
    ).values_list("campaign_id", flat=True)
    for campaign_id in set(ids):
        board_changed(campaign_id=campaign_id)


@handler("order.paid", when=_from_live)
def board_on_order_paid(event: Event) -> None:
    _boards_of_session(int(event.payload["source_ref"]))


@handler("order.refunded", when=_from_live)
def board_on_order_refunded(event: Event) -> None:
    _boards_of_session(int(event.payload["source_ref"]))


@handler("live.started")
def board_on_live_started(event: Event) -> None:
    _boards_of_session(int(event.payload["session_id"]))


@handler("live.ended")
def board_on_live_ended(event: Event) -> None:
    _boards_of_session(int(event.payload["session_id"]))


@handler("campaign.finalised")
def awards_on_final(event: Event) -> None:
    awards_grant(campaign_id=int(event.payload["campaign_id"]))
