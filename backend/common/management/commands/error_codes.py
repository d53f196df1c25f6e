from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.common.registry import error_codes_markdown

BEGIN = "<!-- error-codes:begin (python manage.py error_codes --write) -->"
END = "<!-- error-codes:end -->"


class Command(BaseCommand):
    help = "Print the error-code catalogue of every app, or --write it into docs/api.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        table = error_codes_markdown()
        if not options["write"]:
            self.stdout.write(table)
            return
        doc = settings.BASE_DIR / "docs" / "api.md"
        text = doc.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            raise CommandError(f"docs/api.md lacks the markers {BEGIN} … {END}")
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        doc.write_text(f"{head}{BEGIN}\n{table}{END}{tail}", encoding="utf-8")
