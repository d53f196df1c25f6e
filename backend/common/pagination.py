"""limit/offset pagination with a total, the one list shape of the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_LIMIT = 200
# Deeper than any list a person pages through, and far below what the database's bigint
# OFFSET takes (past it PostgreSQL refuses the query).
MAX_OFFSET = 1_000_000


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        items: list[Any]
        total: int
        limit: int
        offset: int

    items_attribute: str = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start, stop = pagination.offset, pagination.offset + pagination.limit
        # A queryset, or any object with count() and slicing (e.g. one that shapes its page).
        total = len(queryset) if isinstance(queryset, list) else queryset.count()
        return {
            "items": list(queryset[start:stop]),
            "total": total,
            "limit": pagination.limit,
            "offset": pagination.offset,
        }


class ShapedPage:
    """A queryset that LimitOffset counts and slices, then shapes only the page's rows
    (so a list endpoint builds its items for one page, not the whole table)."""

    def __init__(self, rows: QuerySet[Any], shape: Callable[[Any], Any]) -> None:
        self.rows = rows
        self.shape = shape

    def count(self) -> int:
        return int(self.rows.count())

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.shape(row) for row in self.rows[window]]
