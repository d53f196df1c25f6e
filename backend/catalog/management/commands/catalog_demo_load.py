from typing import Any

from django.core.management.base import BaseCommand

from backend.catalog.demo import demo_catalog_load


class Command(BaseCommand):
    help = "Load the demo catalogue (idempotent): brands, packaging standards, products, images."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_catalog_load()
        self.stdout.write(f"Demo catalogue: {created} products created (existing ones kept).")
