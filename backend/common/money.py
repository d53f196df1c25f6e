"""Money: Decimal yuan with two places; a two-decimal string in JSON."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Parse a yuan amount. Floats are refused: they cannot carry cents exactly."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("money must be a string or integer, not a float")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError("money must be finite")
    if amount != amount.quantize(CENT):
        raise ValueError("money has at most 2 decimal places")
    return amount.quantize(CENT)


def round_money(amount: Decimal) -> Decimal:
    """Round a computed amount (e.g. a discount) half-up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    return f"{amount.quantize(CENT)}"


# Use in ninja schemas: accepts "39.90" or 39, refuses 39.9 as float and 39.999.
Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(money_str, return_type=str, when_used="json"),
]
