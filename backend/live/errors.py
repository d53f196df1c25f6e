"""Error codes of live sessions. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class LiveErrorCode(StrEnum):
    SESSION_ILLEGAL_TRANSITION = "live.illegal_transition"
    STREAMER_UNVERIFIED = "live.streamer_unverified"
    NO_SIGNAL = "live.no_signal"
    SCHEDULE_IN_PAST = "live.schedule_in_past"
    NOT_A_MEMBER = "live.not_a_member"
    ASSISTANT_INVALID = "live.assistant_invalid"
    LINEUP_SKU_INVALID = "live.lineup_sku_invalid"
    LINEUP_DUPLICATE = "live.lineup_duplicate"
    EXPLAIN_NOT_LISTED = "live.explain_not_listed"
    EXPLAIN_NOT_LIVE = "live.explain_not_live"
    PROFILE_ALREADY_VERIFIED = "live.profile_already_verified"
