"""/healthz: is each part this process depends on answering?"""

from __future__ import annotations

import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu.connection import Connection


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # no broker: tasks run inline
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=2,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as conn:
        conn.ensure_connection(max_retries=1)


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "redis": _redis, "broker": _broker}


def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
            report[name] = {"ok": True}
        except Exception as exc:
            report[name] = {"ok": False, "error": type(exc).__name__}
        report[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    healthy = all(part["ok"] for part in report.values())
    return JsonResponse({"ok": healthy, "checks": report}, status=200 if healthy else 503)
