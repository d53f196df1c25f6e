"""Error codes of campaigns. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class CampaignErrorCode(StrEnum):
    INVALID = "campaigns.invalid"
    REGISTRATION_CLOSED = "campaigns.registration_closed"
    FULL = "campaigns.full"
    ALREADY_REGISTERED = "campaigns.already_registered"
    ALREADY_REVIEWED = "campaigns.already_reviewed"
    NOT_ASSIGNED = "campaigns.judge_not_assigned"
    ALREADY_SCORED = "campaigns.already_scored"
    RECUSED = "campaigns.judge_recused"
    SCORE_OUT_OF_SCALE = "campaigns.score_out_of_scale"
    VOTING_CLOSED = "campaigns.voting_closed"
    VOTE_USED = "campaigns.vote_used_today"
    VOTE_TOO_FAST = "campaigns.vote_too_fast"
    WRONG_STAGE = "campaigns.wrong_stage"
    OBJECTIONS_OPEN = "campaigns.objections_unanswered"
    PASS_UNKNOWN = "campaigns.pass_unknown"
