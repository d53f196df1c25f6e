"""Error codes of the audience: follows and 预约 reminders. Stable once published."""

from __future__ import annotations

from enum import StrEnum


class AudienceErrorCode(StrEnum):
    FOLLOW_SELF = "audience.follow_self"
    REMINDER_CLOSED = "audience.reminder_closed"
