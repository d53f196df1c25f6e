"""Shapes of the promotions API (money as two-decimal strings, times ISO with offset)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from backend.orders.schemas import CheckoutIn, ConsigneeIn


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


class FlashIn(Schema):
    sku_id: int = Field(..., ge=1)
    price: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    quantity: int = Field(..., ge=1, le=100_000)
    per_buyer_cap: int = Field(1, ge=1, le=10)
    starts_in_seconds: int = Field(0, ge=0, le=86_400)
    minutes: int = Field(..., ge=1, le=300)


class FlashOut(Schema):
    id: int
    sku_id: int
    price: str
    quantity: int
    sold: int
    left: int
    per_buyer_cap: int
    starts_at: datetime
    ends_at: datetime


class FlashBuyIn(Schema):
    idempotency_key: str = Field(..., min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    quantity: int = Field(1, ge=1, le=10)
    consignee: ConsigneeIn


class LotteryIn(Schema):
    title: str = Field(..., min_length=1, max_length=60)
    entry_kind: str = Field(..., pattern="^(keyword|like|follow)$")
    keyword: str = Field("", max_length=20)
    rules: str = Field("", max_length=300)
    prize_coupon_id: int | None = Field(None, ge=1)
    prize_sku_id: int | None = Field(None, ge=1)
    prize_value: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    winners_count: int = Field(..., ge=1, le=1000)
    opens_in_seconds: int = Field(0, ge=0, le=86_400)
    minutes: int = Field(..., ge=1, le=300, description="How long entry stays open")


class LotteryOut(Schema):
    id: int
    title: str
    entry_kind: str
    keyword: str
    rules: str
    prize_value: str
    prize_coupon_id: int | None
    prize_sku_id: int | None
    winners_count: int
    opens_at: datetime
    closes_at: datetime
    draw_at: datetime
    seed_hash: str
    entrants: int
    drawn: bool


class ProofOut(Schema):
    """Everything draw.py needs to recompute the winners (seed null until the draw)."""

    lottery_id: int
    seed_hash: str
    seed: str | None
    entrants: list[int]
    winners_count: int
    winners: list[int]
    winner_names: list[str]


class PrizeClaimIn(Schema):
    consignee: ConsigneeIn
