from typing import Any

from django.core.management.base import BaseCommand

from backend.orders.demo import demo_orders_load


class Command(BaseCommand):
    help = "Load the demo orders (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Demo orders: {demo_orders_load()} checkouts created.")
