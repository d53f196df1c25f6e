"""Shapes of the promotions API (money as two-decimal strings, times ISO with offset)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from backend.orders.schemas import CheckoutIn


class CouponIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    kind: str = Field(..., pattern="^(amount|percent)$")
    amount_off: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    percent_off: int = Field(0, ge=0, le=99)
    threshold: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    total_quantity: int = Field(..., ge=1, le=1_000_000)
    per_user_limit: int = Field(1, ge=1, le=10)
    claim_minutes: int = Field(..., ge=1, le=300, description="The claim window opens now")
    valid_days: int = Field(7, ge=1, le=90)
    stackable: bool = False
    product_ids: list[int] = Field(default_factory=list, max_length=50)


class CouponOut(Schema):
    id: int
    name: str
    kind: str
    amount_off: str
    percent_off: int
    threshold: str
    total_quantity: int
    claimed: int
    used: int
    left: int
    per_user_limit: int
    claim_starts_at: datetime
    claim_ends_at: datetime
    valid_until: datetime
    stackable: bool


class GrantOut(Schema):
    id: int
    coupon: CouponOut
    state: str
    claimed_at: datetime


class PromoCheckoutIn(CheckoutIn):
    grant_ids: list[int] = Field(default_factory=list, max_length=5)
    session_id: int | None = Field(None, ge=1, description="Bought in this room: live prices")
