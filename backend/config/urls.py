from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from ninja.openapi.views import openapi_view

from backend.common import registry
from backend.common.errors import ErrorCode
from backend.common.exceptions import error_response
from backend.config.api import api
from backend.config.health import healthz
from backend.config.media_serve import serve_media
from backend.config.pages import page


def grouped_by_first_segment(patterns: list[URLResolver | URLPattern]) -> list[Any]:
    """The API's routes nested under their first path segment ("shop/", "orders/", …).
    Django tries the patterns of a resolver one after another: flat, a shop read walked
    past some forty routes of other apps, which cost a sixth of its CPU (profiled). Two
    routes with different first segments never match the same path, so grouping changes
    no answer; routes keep their order within a group, and a route whose first segment
    is a converter (or a nested resolver) keeps the whole list flat."""
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


_api_patterns, _api_app, _api_namespace = api.urls
urlpatterns = [
    path("api/v1/", (grouped_by_first_segment(_api_patterns), _api_app, _api_namespace)),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("api/docs", openapi_view, {"api": api}),
]
# Every app's pages, as the apps declared them (declare.py); links out get no route.
urlpatterns += [
    path(spec.path.lstrip("/"), page, {"name": spec.template, "spec_path": spec.path})
    for spec in registry.pages()
    if not spec.external
]
urlpatterns += [path(spec.path, spec.view) for spec in registry.url_routes()]


if settings.SERVE_STATIC:
    # make run and tests: uploads are served by the app; production lets nginx do it.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.+)$", serve_media, {"document_root": settings.MEDIA_ROOT})
    )


def _not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(404, ErrorCode.NOT_FOUND, "Not found.")
    return HttpResponse("Not found", status=404, content_type="text/plain; charset=utf-8")


def _server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(500, ErrorCode.SERVER_ERROR, "Internal error; it has been logged.")
    return HttpResponse("Server error", status=500, content_type="text/plain; charset=utf-8")


handler404 = _not_found
handler500 = _server_error
