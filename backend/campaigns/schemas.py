"""Shapes of the campaigns API (inputs; answers are built in selectors.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

ID = Field(..., ge=1, le=2**31 - 1)


class ScheduleItem(Schema):
    at: str = Field(..., max_length=40)
    title: str = Field(..., min_length=1, max_length=80)
    venue: str = Field("", max_length=80)


class WeightsIn(Schema):
    """Each figure's weight; a figure left out weighs nothing. They sum to 1.00."""

    gmv: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    orders: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    peak: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    likes: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    followers: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    judges: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)
    votes: Decimal = Field(Decimal("0.00"), ge=0, le=1, max_digits=3, decimal_places=2)


class CampaignIn(Schema):
    kind: str = Field(..., pattern="^(festival|contest|fair|promotion_week)$")
    title: str = Field(..., min_length=2, max_length=120)
    description: str = Field("", max_length=4000)
    cover_url: str = Field("", max_length=500)
    venue: str = Field("", max_length=200)
    online: bool = True
    offline: bool = False
    schedule: list[ScheduleItem] = Field(default_factory=list, max_length=50)
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    capacity: int = Field(50, ge=1, le=100_000)
    parent_id: int | None = Field(None, ge=1, le=2**31 - 1)
    voting: bool = False
    weights: WeightsIn | None = None


class RegisterIn(Schema):
    display_name: str = Field(..., min_length=1, max_length=80)
    organisation_id: int | None = Field(None, ge=1, le=2**31 - 1)
    is_farmer: bool = False


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=200)


class JudgeIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


class SessionLinkIn(Schema):
    session_id: int = ID
    entry_id: int | None = Field(None, ge=1, le=2**31 - 1)


class CampaignCouponIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    amount_off: Decimal = Field(..., gt=0, max_digits=8, decimal_places=2)
    threshold: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    total_quantity: int = Field(..., ge=1, le=100_000)
    per_user_limit: int = Field(1, ge=1, le=10)
    valid_days: int = Field(7, ge=1, le=90)


class ScoreIn(Schema):
    entry_id: int = ID
    criterion: str = Field(..., min_length=1, max_length=40)
    score: Decimal = Field(..., max_digits=5, decimal_places=2)
    reason: str = Field("", max_length=200)


class VoteIn(Schema):
    entry_id: int = ID


class PublicityIn(Schema):
    days: int = Field(7, ge=1, le=30)


class ObjectionIn(Schema):
    text: str = Field(..., min_length=2, max_length=500)
    entry_id: int | None = Field(None, ge=1, le=2**31 - 1)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=500)


class AwardIn(Schema):
    entry_id: int = ID
    title: str = Field(..., min_length=1, max_length=80)
    prize_kind: str = Field(..., pattern="^(cash|goods|honour)$")
    amount: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)


class ScanIn(Schema):
    code: str = Field(..., min_length=4, max_length=16)
