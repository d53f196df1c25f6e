"""Websocket group names of campaigns: the one place they are made (CONVENTIONS 10)."""

from __future__ import annotations


def board(campaign_id: int) -> str:
    """Everyone watching a contest's leaderboard: the big screen and the event page."""
    return f"campaigns.board.{campaign_id}"
