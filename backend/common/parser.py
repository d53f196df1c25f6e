"""The API's request parser: ninja's, plus one rule for every string it hands on: no NUL
character. No person types one, and PostgreSQL's text cannot hold it (the database would
refuse the query with a DataError)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser


class NulCharacter(ValueError):
    """A NUL character at `path` (e.g. `query.q`, `body.consignee.name`)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"NUL character at {path}")
        self.path = path


def nul_path(value: Any, path: str) -> str | None:
    """The path of the first string (or key) holding a NUL, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = nul_path(key, path) or nul_path(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}.{index}")
            if found:
                return found
    return None


class ApiParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        found = nul_path(data, "body")
        if found:
            raise NulCharacter(found)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        found = nul_path(result, "query" if data is request.GET else "form")
        if found:
            raise NulCharacter(found)
        return result
