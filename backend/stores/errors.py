"""Error codes of the stores app. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class StoreErrorCode(StrEnum):
    STATE_INVALID = "store.oauth_state_invalid"
    STATE_USED = "store.oauth_state_used"
    AUTH_REFUSED = "store.oauth_refused"
    BOUND_ELSEWHERE = "store.bound_elsewhere"
    NOT_ACTIVE = "store.not_active"
    PLATFORM_REFUSED = "store.platform_refused"
    PLATFORM_UNAVAILABLE = "store.platform_unavailable"
    MAPPING_INCOMPLETE = "store.mapping_incomplete"
    MAPPING_INVALID = "store.mapping_invalid"
