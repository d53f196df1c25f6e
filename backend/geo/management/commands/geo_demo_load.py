from typing import Any

from django.core.management.base import BaseCommand

from backend.geo.demo import geo_demo_load


class Command(BaseCommand):
    help = "Load the demo villages, each labelled 示例 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        villages = geo_demo_load()
        self.stdout.write(f"Demo villages (示例, not real): {len(villages)}")
