"""Campaigns listen to orders and sessions (a contest's figures move: its board is pushed)
and to their own final results (the awards are granted, each published once)."""

from __future__ import annotations

from typing import Any

from backend.campaigns.broadcast import board_changed
from backend.campaigns.models import CampaignKind, CampaignSession
from backend.campaigns.services_contest import awards_grant
from backend.common.events import Event, handler


def _live_sale(payload: dict[str, Any]) -> bool:
    """An order of a live session that is a sale (a 0-yuan prize ranks nobody)."""
    return (
        payload.get("source_kind") == "live"
        and payload.get("payment_kind") != "prize"
        and str(payload.get("source_ref", "")).isdigit()
    )


def _boards_of_session(session_id: int) -> None:
    ids = CampaignSession.objects.filter(
        session_id=session_id, campaign__kind=CampaignKind.CONTEST
    ).values_list("campaign_id", flat=True)
    for campaign_id in set(ids):
        board_changed(campaign_id=campaign_id)


@handler("order.paid", when=_live_sale)
def board_moves_when_paid(event: Event) -> None:
    _boards_of_session(int(event.payload["source_ref"]))


@handler("order.refunded", when=_live_sale)
def board_moves_when_refunded(event: Event) -> None:
    _boards_of_session(int(event.payload["source_ref"]))


@handler("live.started")
def board_moves_when_live_starts(event: Event) -> None:
    _boards_of_session(int(event.payload["session_id"]))


@handler("live.ended")
def board_moves_when_live_ends(event: Event) -> None:
    _boards_of_session(int(event.payload["session_id"]))


@handler("campaign.finalised")
def awards_when_final(event: Event) -> None:
    awards_grant(campaign_id=int(event.payload["campaign_id"]))
