"""`manage.py live_demo_stream` (`make demo-stream`): a demo broadcast while `make run` is up —
pushed, restreamed, two products explained, ended; the replay and clips follow."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backend.live.demo_stream import demo_stream_run


class Command(BaseCommand):
    help = "Push a test pattern through the demo session: replay, chapters and clips follow."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_stream_run(self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
