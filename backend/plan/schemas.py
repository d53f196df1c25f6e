from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import PlainSerializer

# Values are Decimals sent as strings ("15000000.00"), like money (docs/api.md).
DecimalString = Annotated[Decimal, PlainSerializer(lambda d: f"{d}", return_type=str)]


class PeriodOut(Schema):
    key: str
    name: str
    start: date
    end: date
    section: str


class TargetOut(Schema):
    key: str
    name: str
    wording: str
    unit: str
    comparison: str
    value: DecimalString
    cadence: str
    period: PeriodOut
    document: str
    section: str
