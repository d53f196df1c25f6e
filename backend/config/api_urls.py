"""The API's URL patterns, nested under their first path segment ("shop/", "orders/", …).

Django tries the patterns of a resolver one after another: flat, a shop read walked past
some forty routes of other apps, which cost a sixth of its CPU (profiled). Two routes with
different first segments never match the same path, so grouping changes no answer; routes
keep their order within a group, and a route whose first segment is a converter (or a
nested resolver) keeps the whole list flat.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from backend.config.api import api


def api_urls() -> tuple[list[Any], str, str]:
    """What `path("api/v1/", …)` includes: ninja's patterns, grouped."""
    patterns, app_name, namespace = api.urls
    return grouped_by_first_segment(patterns), app_name, namespace


def grouped_by_first_segment(patterns: list[URLResolver | URLPattern]) -> list[Any]:
    """One `include` per first segment, in the order the segments first appear."""
    groups: dict[str, list[URLPattern]] = {}
    layout: list[URLPattern | str] = []
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if "<" in head or not isinstance(pattern, URLPattern):
            return list(patterns)
        if not slash or not rest:
            layout.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            layout.append(head)
        named = {"name": pattern.name} if pattern.name else {}
        groups[head].append(path(rest, pattern.callback, pattern.default_args, **named))
    return [
        path(f"{item}/", include(groups[item])) if isinstance(item, str) else item
        for item in layout
    ]
