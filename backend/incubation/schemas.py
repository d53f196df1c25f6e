"""Shapes of the incubation API. Phones are masked; money is a two-decimal string."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from backend.common.money import Money
from backend.common.timefmt import Timestamp

KindIn = Literal["influencer_company", "influencer_farmer", "resident_enterprise", "village_store"]
StageIn = Literal["applied", "admitted", "in_incubation", "graduated", "withdrawn"]
ServiceIn = Literal["technical", "information", "marketing", "consulting", "finance", "value_added"]


class IncubateeIn(Schema):
    kind: KindIn
    name: str = Field(min_length=1, max_length=128)
    organisation_id: int | None = None
    user_id: int | None = None
    village_id: int | None = None
    mentor_id: int | None = None
    cohort_id: int | None = None
    contact_phone: str = Field(default="", max_length=20, pattern=r"^(\+?\d{5,19})?$")


class MoveIn(Schema):
    to: StageIn
    reason: str = Field(min_length=1, max_length=200)


class ResidencyIn(Schema):
    place: str = Field(min_length=1, max_length=32)
    lease_start: date
    lease_end: date


class ServiceLogIn(Schema):
    service: ServiceIn
    on: date
    outcome: str = Field(min_length=1, max_length=300)


class BoardItem(Schema):
    id: int
    name: str
    kind: str
    stage: str
    township: str
    allowed: list[str]
    sessions: int
    orders: int
    gmv: Money


class MoveOut(Schema):
    from_stage: str
    to_stage: str
    reason: str
    at: Timestamp


class SessionOut(Schema):
    id: int
    title: str
    started_at: Timestamp
    orders: int
    gmv: Money


class MonthOut(Schema):
    month: str
    sessions: int
    gmv: Money


class MilestoneOut(Schema):
    key: str
    name: str
    rule: str
    threshold: Money
    value: Money
    met_at: Timestamp | None
    value_then: Money | None
    holds: bool
    required_for_graduation: bool


class ResidencyOut(Schema):
    place: str
    lease_start: date
    lease_end: date


class ServiceOut(Schema):
    id: int
    service: str
    on: date
    staff: str
    outcome: str


class CardOut(Schema):
    id: int
    name: str
    kind: str
    stage: str
    organisation: str
    person: str
    township: str
    village: str
    mentor: str
    cohort: str
    contact_phone_masked: str
    applied_at: Timestamp
    admitted_at: Timestamp | None
    graduated_at: Timestamp | None
    allowed: list[str]
    sessions: int
    orders: int
    gmv: Money
    refunded: Money
    peak_viewers: int
    stores_bound: int
    training: int
    trend: list[MonthOut]
    recent_sessions: list[SessionOut]
    milestones: list[MilestoneOut]
    moves: list[MoveOut]
    residency: ResidencyOut | None
    services: list[ServiceOut]


class GoalOut(Schema):
    key: str
    name: str
    wording: str
    unit: str
    comparison: str
    target: Money | None
    actual: int
    met: bool | None
    counts: str
    by_township: dict[str, int]
    monthly: list[tuple[str, int]]


class ClusterOut(Schema):
    id: int
    name: str
    kind: str
    township: str
    opened_on: date
    members: list[str]


class TeamMemberOut(Schema):
    id: int
    name: str
    role: str
    phone_masked: str
    start: date
    end: date | None
