from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from ninja.openapi.views import openapi_view

from backend.common import registry
from backend.common.errors import ErrorCode
from backend.common.exceptions import error_response
from backend.config.api import api
from backend.config.api_urls import api_urls
from backend.config.health import healthz
from backend.config.media_serve import serve_media
from backend.config.pages import page

urlpatterns = [
    path("api/v1/", api_urls()),
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
