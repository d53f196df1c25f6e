"""The ceiling of the web-tier benchmark: a bare django-ninja endpoint returning a small JSON
object (DEBUG off, no middleware, no database), served by the same gunicorn settings behind
the same nginx front as the platform (bench_web.py starts it). /api/bare/gate runs only the
flash-sale gate's Redis script (bench_flash_sale.py's ceiling)."""

from __future__ import annotations

import itertools
import os
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


_GATE: list[Any] = []
_TAPS = itertools.count()


@api.get("/gate")
def gate(request: HttpRequest) -> dict[str, Any]:
    """The same ADMIT script as a flash buy, on a sale that never sells out."""
    import redis

    from backend.promotions.gate import ADMIT

    if not _GATE:
        client = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
        _GATE.append(client)
        client.set("qsbenchbare:flash:left", 10**9)
    tap = f"{os.getpid()}-{next(_TAPS)}"
    keys = ["qsbenchbare:flash:left", "qsbenchbare:flash:buyers", "qsbenchbare:flash:keys"]
    left = _GATE[0].eval(ADMIT, 3, *keys, tap, 1, 1, tap)
    return {"left": int(left)}


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("healthz", healthz), path("api/bare/", api.urls)]
application = get_wsgi_application()
asgi_application = get_asgi_application()
