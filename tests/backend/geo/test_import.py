"""`geo_import`: good rows land, bad rows come back with line numbers and reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from backend.geo.errors import GeoErrorCode
from backend.geo.models import Village
from backend.geo.nbs_files import ImportFileInvalid
from backend.geo.services import RowProblemReason, villages_import

pytestmark = pytest.mark.django_db

R = RowProblemReason
CSV_TEXT = """code,name,township_code,formerly_poor
140521103201,端氏村,140521103,1
140521100001,城关社区,140521100000,0
14052110320,短码村,140521103,0
140521107201,无此乡村,140521107,0
140521101201,错乡村,140521100,0
140521103201,端氏村重复,140521103,1
140521103202,,140521103,0
140521203201,苏庄村,140521203,0
140521103203,标记村,140521103,maybe

140521104202,嘉峰村,140521104,是
140521104203,坏乡码村,14052110x,0
"""
EXPECTED_PROBLEMS = [
    (4, "14052110320", R.CODE_FORMAT),
    (5, "140521107201", R.TOWNSHIP_UNKNOWN),
    (6, "140521101201", R.CODE_OUTSIDE_TOWNSHIP),
    (7, "140521103201", R.DUPLICATE_IN_FILE),
    (8, "140521103202", R.NAME_EMPTY),
    (9, "140521203201", R.TOWNSHIP_DISSOLVED),
    (10, "140521103203", R.FLAG_INVALID),
    (13, "140521104203", R.TOWNSHIP_CODE_FORMAT),
]
EXPECTED_VILLAGES = [
    ("140521100001", "城关社区", "140521100", False, False),
    ("140521103201", "端氏村", "140521103", True, False),
    ("140521104202", "嘉峰村", "140521104", True, False),
]


def _villages() -> list[tuple[str, str, str, bool, bool]]:
    rows = Village.objects.order_by("code").values_list(
        "code", "name", "township__code", "formerly_poor", "is_sample"
    )
    return list(rows)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "villages.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    return path


def test_good_rows_land_and_bad_rows_are_reported_by_line(csv_file: Path) -> None:
    result = villages_import(path=csv_file)
    assert [(p.line, p.code, p.reason) for p in result.problems] == EXPECTED_PROBLEMS
    assert (result.rows, result.created, result.updated, result.unchanged) == (11, 3, 0, 0)
    assert result.ok is False
    assert _villages() == EXPECTED_VILLAGES
    details = {p.line: p.detail for p in result.problems}
    assert details[7] == "code 140521103201 already appears on line 2"
    assert details[6] == "code 140521101201 is not under 龙港镇 (140521100)"
    assert details[9] == "苏庄乡 (140521203) was dissolved in 2021"


def test_reimport_is_idempotent_and_updates_by_code(csv_file: Path) -> None:
    villages_import(path=csv_file)
    stamps = dict(Village.objects.values_list("code", "updated_at"))
    again = villages_import(path=csv_file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert [(p.line, p.code, p.reason) for p in again.problems] == EXPECTED_PROBLEMS
    assert _villages() == EXPECTED_VILLAGES
    assert dict(Village.objects.values_list("code", "updated_at")) == stamps

    csv_file.write_text(CSV_TEXT.replace("城关社区", "城关社区居委会"), encoding="utf-8")
    changed = villages_import(path=csv_file)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert Village.objects.get(code="140521100001").name == "城关社区居委会"
    assert Village.objects.count() == 3


def test_xlsx_with_nbs_headers_and_numeric_cells(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统计用区划代码", "名称", "乡镇代码", "是否脱贫村"])
    sheet.append([140521106201, "柿庄村", 140521106, "是"])
    sheet.append([140521106202.0, "东峪村", "140521106", None])
    sheet.append([140521106203, "", 140521106, "否"])
    sheet.append([140521999201, "无乡村", 140521999, "否"])
    path = tmp_path / "villages.xlsx"
    workbook.save(path)

    result = villages_import(path=path)

    assert [(p.line, p.code, p.reason) for p in result.problems] == [
        (4, "140521106203", R.NAME_EMPTY),
        (5, "140521999201", R.TOWNSHIP_UNKNOWN),
    ]
    assert _villages() == [
        ("140521106201", "柿庄村", "140521106", True, False),
        ("140521106202", "东峪村", "140521106", False, False),
    ]


def test_a_gb18030_csv_without_the_flag_column(tmp_path: Path) -> None:
    path = tmp_path / "nbs.csv"
    path.write_bytes(
        "统计用区划代码,名称,所属乡镇代码\n140521205201,固县村,140521205\n".encode("gb18030")
    )
    result = villages_import(path=path)
    assert result.ok is True
    assert _villages() == [("140521205201", "固县村", "140521205", False, False)]


def test_a_file_without_the_needed_columns_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("编号,村名\n140521103201,端氏村\n", encoding="utf-8")
    with pytest.raises(ImportFileInvalid) as caught:
        villages_import(path=path)
    assert caught.value.code == GeoErrorCode.GEO_IMPORT_FILE_INVALID
    assert caught.value.extra["missing_columns"] == ["code", "township_code"]
    assert Village.objects.count() == 0


def test_the_command_prints_bad_rows_and_fails(csv_file: Path, capsys) -> None:
    with pytest.raises(CommandError, match=r"^8 bad row\(s\) not imported$"):
        call_command("geo_import", str(csv_file))
    out, err = capsys.readouterr()
    assert "11 rows: 3 created, 0 updated, 0 unchanged, 8 bad" in out
    assert "line 4: code_format: code '14052110320' is not 12 digits" in err
    assert "line 13: township_code_format:" in err
    assert len(err.strip().splitlines()) == 8
    assert Village.objects.count() == 3


def test_the_command_succeeds_on_a_clean_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("code,name,township_code\n140521206201,十里村,140521206\n", encoding="utf-8")
    call_command("geo_import", str(path))
    out, err = capsys.readouterr()
    assert out.strip() == "1 rows: 1 created, 0 updated, 0 unchanged, 0 bad"
    assert err == ""


def test_the_command_refuses_unknown_file_types(tmp_path: Path) -> None:
    path = tmp_path / "villages.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match=r"geo\.import_file_invalid"):
        call_command("geo_import", str(path))
