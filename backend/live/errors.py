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
    COMMENT_TOO_LONG = "live.comment_too_long"
    COMMENT_EMPTY = "live.comment_empty"
    COMMENT_TOO_FAST = "live.comment_too_fast"
    COMMENT_SLOW_MODE = "live.comment_slow_mode"
    MUTED = "live.muted"
    MUTED_ALL = "live.muted_all"
    ROOM_NOT_LIVE = "live.room_not_live"
    REPORT_DUPLICATE = "live.report_duplicate"
    CLIP_NOT_FAILED = "live.clip_not_failed"
    RESTREAM_URL_INVALID = "live.restream_url_invalid"
    RESTREAM_TOO_MANY = "live.restream_too_many"
