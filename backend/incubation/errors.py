"""Error codes of incubation. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class IncubationErrorCode(StrEnum):
    MOVE_NOT_ALLOWED = "incubation.move_not_allowed"
    LINK_WRONG_KIND = "incubation.link_wrong_kind"
    ALREADY_INCUBATED = "incubation.already_incubated"
    MILESTONES_MISSING = "incubation.milestones_missing"
    LEASE_DATES = "incubation.lease_dates"
    NOT_RESIDENT = "incubation.not_resident"
