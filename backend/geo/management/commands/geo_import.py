from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.common.errors import DomainError
from backend.geo.services import villages_import


class Command(BaseCommand):
    help = (
        "Import villages from an NBS-format CSV or xlsx (columns: code, name, township code, "
        "formerly-poor flag). Good rows land; bad rows are listed and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            result = villages_import(path=path)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.problems)} bad"
        )
        for problem in result.problems:
            self.stderr.write(f"line {problem.line}: {problem.reason.value}: {problem.detail}")
        if not result.ok:
            raise CommandError(f"{len(result.problems)} bad row(s) not imported")
