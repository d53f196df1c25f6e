"""The ceiling of the web-tier benchmark: a bare django-ninja endpoint returning a small JSON
object (DEBUG off, no middleware, no database), served by the same gunicorn settings behind
the same nginx front as the platform (bench_web.py starts it)."""

from __future__ import annotations

from typing import Any

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-not-secret-bench-bare-not-secret",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["ninja"],
    MIDDLEWARE=[],
)
django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

api = NinjaAPI(urls_namespace="bare", docs_url=None)


@api.get("/ping")
def ping(request: HttpRequest) -> dict[str, Any]:
    return {"ok": True, "platform": "qinshui", "items": [1, 2, 3]}


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("healthz", healthz), path("api/bare/", api.urls)]
application = get_wsgi_application()
asgi_application = get_asgi_application()
