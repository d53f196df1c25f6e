"""Shapes of the counter's API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class ItemIn(Schema):
    sku_id: int
    quantity: int = Field(gt=0, le=999)


class BasketIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=100)


class SaleIn(BasketIn):
    idempotency_key: str = Field(min_length=8, max_length=64)
    payment_kind: Literal["counter_cash", "counter_card"]


class QrIn(BasketIn):
    idempotency_key: str = Field(min_length=8, max_length=64)


class ReturnLineIn(Schema):
    line_id: int
    quantity: int = Field(gt=0, le=999)


class ReturnIn(Schema):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=100)
    reason: str = Field(default="", max_length=200)


class ShiftOpenIn(Schema):
    opening_cash: Decimal = Field(default=Decimal("0.00"), ge=0, max_digits=12, decimal_places=2)


class CountedIn(Schema):
    counter_cash: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    counter_card: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    provider: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class ShiftCloseIn(Schema):
    counted: CountedIn
    reason: str = Field(default="", max_length=200)


class MoveIn(Schema):
    sku_id: int
    quantity: int = Field(gt=0, le=100000)
    note: str = Field(default="", max_length=200)


class SettlementIn(Schema):
    seller_id: int
    period_start: date
    period_end: date
