from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.static import serve
from ninja.openapi.views import openapi_view

from backend.common.exceptions import error_response
from backend.config.api import api
from backend.config.health import healthz
from backend.config.pages import page

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("api/v1/", api.urls),
    path("api/docs", openapi_view, {"api": api}),
    path("", page, {"name": "index"}),
    path("login/", page, {"name": "login"}),
    path("account/", page, {"name": "account"}),
    path("merchant/products/", page, {"name": "merchant-products"}),
    path("merchant/orders/", page, {"name": "merchant-orders"}),
    path("shop/", page, {"name": "shop"}),
    path("shop/product/", page, {"name": "shop-product"}),
    path("shop/cart/", page, {"name": "shop-cart"}),
    path("shop/orders/", page, {"name": "shop-orders"}),
]


if settings.SERVE_STATIC:
    # make run and tests: uploads are served by the app; production lets nginx do it.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT})
    )


def _not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "Not found.")
    return HttpResponse("Not found", status=404, content_type="text/plain; charset=utf-8")


def _server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(500, "server.error", "Internal error; it has been logged.")
    return HttpResponse("Server error", status=500, content_type="text/plain; charset=utf-8")


handler404 = _not_found
handler500 = _server_error
