"""PATCH bodies: a field left out keeps its value; a field sent as null must be nullable."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator


def _refuse_null(cls: type, value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null; leave the field out to keep its value")
    return value


def not_null(*fields: str) -> Any:
    """A validator for a PATCH schema whose optional fields map to NOT NULL columns:
    `"price": null` is a 422 on that field, never a None handed to the service."""
    return field_validator(*fields, mode="after")(classmethod(_refuse_null))
