"""Money: Decimal yuan with two places; a two-decimal string in JSON."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, PlainSerializer

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Parse a yuan amount. Floats are refused: they cannot carry cents exactly."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(_('Send an amount as a string of yuan, e.g. "39.90".'))
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(_("Enter an amount in yuan, e.g. 39.90.")) from exc
    if not amount.is_finite():
        raise ValueError(_("Enter an amount in yuan, e.g. 39.90."))
    if amount != amount.quantize(CENT):
        raise ValueError(_("An amount has at most 2 decimal places."))
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
