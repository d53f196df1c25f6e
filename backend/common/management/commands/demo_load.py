from typing import Any

from django.core.management.base import BaseCommand

from backend.common import registry


class Command(BaseCommand):
    help = "Load every app's demo data (idempotent), in the order the apps declared."

    def handle(self, *args: Any, **options: Any) -> None:
        for loader in registry.demo_loaders():
            loader.load(self.stdout.write)
