from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from backend.accounts.demo import demo_accounts_load


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_accounts_load()
        # By name: accounts must not import the apps above it.
        call_command("geo_demo_load", stdout=self.stdout)
        call_command("catalog_demo_load", stdout=self.stdout)
        call_command("orders_demo_load", stdout=self.stdout)
        self.stdout.write("Demo logins (demo only; passwords are public):")
        for demo in users:
            self.stdout.write(f"  {demo.role.value:<17} {demo.username:<10} {demo.password}")
        self.stdout.write(
            "Buyers log in by phone: any mainland mobile, code printed by the SMS sandbox."
        )
