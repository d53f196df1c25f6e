"""Reading an NBS-format village list (CSV or xlsx) into raw rows with their line numbers.

Only shape is handled here: which column is which, text encoding, spreadsheet cell types.
Whether a row is acceptable is decided by `services.villages_import`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from backend.common.errors import DomainError
from backend.geo.errors import GeoErrorCode

# Header spellings seen in NBS exports and their common repackagings (e.g. streetCode).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "code": ("code", "统计用区划代码", "区划代码", "村代码", "代码"),
    "name": ("name", "名称", "村名称", "村名"),
    "township_code": (
        "township_code",
        "township code",
        "streetcode",
        "乡镇代码",
        "所属乡镇代码",
        "乡镇统计用区划代码",
    ),
    "formerly_poor": ("formerly_poor", "formerly poor", "脱贫村", "是否脱贫村", "原贫困村"),
}
REQUIRED_COLUMNS = ("code", "name", "township_code")
# Chinese government files are often GB18030; UTF-8 (with or without BOM) is tried first.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RawRow:
    line: int
    code: str
    name: str
    township_code: str
    formerly_poor: str


class ImportFileInvalid(DomainError):
    code = GeoErrorCode.GEO_IMPORT_FILE_INVALID


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    # Spreadsheets store codes as numbers; 140521100201.0 must read back as the same digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_map(header: list[str]) -> dict[str, int]:
    normalised = [_cell_text(h).lower().replace("\ufeff", "") for h in header]
    found: dict[str, int] = {}
    for field, spellings in COLUMN_NAMES.items():
        for index, title in enumerate(normalised):
            if title in spellings:
                found[field] = index
                break
    missing = [field for field in REQUIRED_COLUMNS if field not in found]
    if missing:
        raise ImportFileInvalid(
            _("The header lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            extra={"missing_columns": missing, "header": [_cell_text(h) for h in header]},
        )
    return found


def _rows(numbered: Iterator[tuple[int, list[Any]]]) -> list[RawRow]:
    first = next(numbered, None)
    if first is None:
        raise ImportFileInvalid(_("The file is empty."), extra={"missing_columns": []})
    columns = _column_map(first[1])

    def cell(values: list[Any], field: str) -> str:
        index = columns.get(field)
        return _cell_text(values[index]) if index is not None and index < len(values) else ""

    rows = []
    for line, values in numbered:
        if not any(_cell_text(v) for v in values):
            continue
        rows.append(
            RawRow(
                line=line,
                code=cell(values, "code"),
                name=cell(values, "name"),
                township_code=cell(values, "township_code"),
                formerly_poor=cell(values, "formerly_poor"),
            )
        )
    return rows


def _csv_lines(text: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for values in reader:
        # line_num is where the record ends; a quoted field may span lines.
        yield start, list(values)
        start = reader.line_num + 1


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileInvalid(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileInvalid(_("The file is not a readable xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield index, list(values)
    finally:
        workbook.close()


def nbs_rows_read(*, path: Path) -> list[RawRow]:
    """The data rows of a village list; line 1 is the header."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _rows(_xlsx_lines(path))
    if suffix in (".csv", ".txt"):
        return _rows(_csv_lines(_decode(path.read_bytes())))
    raise ImportFileInvalid(
        _("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix or "?"}
    )
