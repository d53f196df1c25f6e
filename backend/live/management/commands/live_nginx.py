"""`manage.py live_nginx`: render nginx.conf from this deployment's streaming settings,
print where encoders publish, and replace this process with nginx in the foreground
(`make run` supervises it; so can systemd or a container)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backend.live.media import ingest_url, media_settings
from streaming.nginx_proc import nginx_exec


class Command(BaseCommand):
    help = "Run nginx-rtmp (RTMP ingest and HLS) as the streaming settings configure it."

    def handle(self, *args: Any, **options: Any) -> None:
        settings = media_settings()
        self.stdout.write(f"RTMP ingest: {ingest_url()}  (stream key: from the studio page)")
        self.stdout.write(f"HLS: {settings.hls_dir} on port {settings.http_port}")
        self.stdout.flush()
        nginx_exec(settings=settings)
