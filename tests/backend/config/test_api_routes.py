"""The API's routes are nested by first segment for speed (backend/config/urls.py); that
must change no answer: every route resolves to the view the flat list would pick."""

from __future__ import annotations

import re

from django.urls import Resolver404, URLPattern, resolve

from backend.config.api import api


def _sample(route: str) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "1", route)


def _first_flat_match(patterns: list[URLPattern], sample: str) -> URLPattern | None:
    return next((p for p in patterns if p.pattern.match(sample)), None)


def test_every_api_route_resolves_as_the_flat_list_would() -> None:
    flat = api.urls[0]
    checked = 0
    for pattern in flat:
        sample = _sample(str(pattern.pattern))
        expected = _first_flat_match(flat, sample)
        assert expected is not None
        found = resolve(f"/api/v1/{sample}")
        # api.urls builds new view objects on each call: the route and name identify it.
        assert (found.route, found.url_name) == (f"api/v1/{expected.pattern}", expected.name)
        checked += 1
    assert checked == len(flat) > 100


def test_an_unknown_api_path_still_finds_nothing() -> None:
    for path in ("/api/v1/shop/nope", "/api/v1/nope", "/api/v1/shop/products/x/y/z"):
        try:
            resolve(path)
        except Resolver404:
            continue
        raise AssertionError(f"{path} resolved")
