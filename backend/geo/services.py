"""Writes to the county registry: importing villages from an NBS-format list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.db import transaction

from backend.geo.models import Township, Village
from backend.geo.nbs_files import RawRow, nbs_rows_read
from backend.geo.resolver import registry_changed

VILLAGE_CODE = re.compile(r"^[0-9]{12}$")
TOWNSHIP_CODE = re.compile(r"^[0-9]{9}(000)?$")
NAME_MAX_LENGTH = Village._meta.get_field("name").max_length or 64
FLAG_TRUE = {"1", "true", "yes", "y", "是", "√"}
# An empty cell means "not flagged": plain NBS lists carry no formerly-poor column at all.
FLAG_FALSE = {"", "0", "false", "no", "n", "否"}


class RowProblemReason(StrEnum):
    CODE_FORMAT = "code_format"
    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    TOWNSHIP_CODE_FORMAT = "township_code_format"
    TOWNSHIP_UNKNOWN = "township_unknown"
    TOWNSHIP_DISSOLVED = "township_dissolved"
    CODE_OUTSIDE_TOWNSHIP = "code_outside_township"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    FLAG_INVALID = "flag_invalid"


@dataclass(frozen=True)
class RowProblem:
    line: int
    code: str
    reason: RowProblemReason
    detail: str


@dataclass(frozen=True)
class VillageImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _GoodRow:
    code: str
    name: str
    township: Township
    formerly_poor: bool


def _flag(value: str) -> bool | None:
    text = value.strip().lower()
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
        return False
    return None


def _township_problem(
    row: RawRow, townships: dict[str, Township]
) -> tuple[RowProblemReason, str] | Township:
    if not TOWNSHIP_CODE.match(row.township_code):
        return (
            RowProblemReason.TOWNSHIP_CODE_FORMAT,
            f"township code {row.township_code!r} is not 9 (or 12) digits",
        )
    township = townships.get(row.township_code[:9])
    if township is None:
        return (
            RowProblemReason.TOWNSHIP_UNKNOWN,
            f"no township of Qinshui has code {row.township_code[:9]}",
        )
    if township.is_dissolved:
        # Which township took over its villages is not known: refuse rather than guess.
        return (
            RowProblemReason.TOWNSHIP_DISSOLVED,
            f"{township.name} ({township.code}) was dissolved in {township.dissolved_year}",
        )
    return township


def _check_row(
    row: RawRow, townships: dict[str, Township], seen: dict[str, int]
) -> RowProblem | _GoodRow:
    def problem(reason: RowProblemReason, detail: str) -> RowProblem:
        return RowProblem(line=row.line, code=row.code, reason=reason, detail=detail)

    if not VILLAGE_CODE.match(row.code):
        return problem(RowProblemReason.CODE_FORMAT, f"code {row.code!r} is not 12 digits")
    if row.code in seen:
        return problem(
            RowProblemReason.DUPLICATE_IN_FILE,
            f"code {row.code} already appears on line {seen[row.code]}",
        )
    seen[row.code] = row.line
    if not row.name:
        return problem(RowProblemReason.NAME_EMPTY, "the name is empty")
    if len(row.name) > NAME_MAX_LENGTH:
        return problem(
            RowProblemReason.NAME_TOO_LONG, f"the name is longer than {NAME_MAX_LENGTH} characters"
        )
    township = _township_problem(row, townships)
    if not isinstance(township, Township):
        return problem(*township)
    if not row.code.startswith(township.code):
        return problem(
            RowProblemReason.CODE_OUTSIDE_TOWNSHIP,
            f"code {row.code} is not under {township.name} ({township.code})",
        )
    flag = _flag(row.formerly_poor)
    if flag is None:
        return problem(
            RowProblemReason.FLAG_INVALID,
            f"formerly-poor flag {row.formerly_poor!r} is not one of 1/0, 是/否, true/false",
        )
    return _GoodRow(code=row.code, name=row.name, township=township, formerly_poor=flag)


@transaction.atomic
def _villages_upsert(good: list[_GoodRow]) -> tuple[int, int, int]:
    """Insert or update by code in one statement, so two imports at once cannot collide."""
    before = {
        v.code: (v.name, v.township_id, v.formerly_poor)
        for v in Village.objects.filter(code__in=[g.code for g in good])
    }
    created = sum(1 for g in good if g.code not in before)
    unchanged = sum(
        1 for g in good if before.get(g.code) == (g.name, g.township.pk, g.formerly_poor)
    )
    changed = [g for g in good if before.get(g.code) != (g.name, g.township.pk, g.formerly_poor)]
    Village.objects.bulk_create(
        [
            Village(code=g.code, name=g.name, township=g.township, formerly_poor=g.formerly_poor)
            for g in changed
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "township", "formerly_poor", "updated_at"],
    )
    if changed:
        registry_changed()  # a bulk upsert sends no post_save
    return created, len(good) - created - unchanged, unchanged


def villages_import(*, path: Path) -> VillageImportResult:
    """Good rows land (upserted by code, so a re-import changes nothing); bad rows are
    returned with their line numbers and reasons and change nothing."""
    rows = nbs_rows_read(path=path)
    townships = {t.code: t for t in Township.objects.all()}
    seen: dict[str, int] = {}
    good: list[_GoodRow] = []
    problems: list[RowProblem] = []
    for row in rows:
        checked = _check_row(row, townships, seen)
        if isinstance(checked, RowProblem):
            problems.append(checked)
        else:
            good.append(checked)
    created, updated, unchanged = _villages_upsert(good)
    return VillageImportResult(
        rows=len(rows), created=created, updated=updated, unchanged=unchanged, problems=problems
    )
