"""Demo villages, clearly labelled 示例: no invented data passes for real. Their codes start
with 99 (no NBS province has it) and a database constraint ties that prefix to is_sample."""

from __future__ import annotations

from django.db import transaction

from backend.geo.models import SAMPLE_CODE_PREFIX, SAMPLE_NAME_MARK, Township, Village

# (township code, village number, name without the mark, formerly poor)
DEMO_VILLAGES = [
    ("140521103", 1, "端氏示例村", True),
    ("140521103", 2, "河畔示例村", False),
    ("140521100", 1, "龙港示例社区", False),
    ("140521104", 1, "嘉峰示例村", True),
]


def demo_village_code(township_code: str, number: int) -> str:
    """The county code 140521 with 99 for its province digits: 990521 + township + number."""
    return f"{SAMPLE_CODE_PREFIX}{township_code[2:]}{number:03d}"


@transaction.atomic
def geo_demo_load() -> list[Village]:
    """Idempotent: re-running updates the same rows (by code)."""
    villages = []
    for township_code, number, name, formerly_poor in DEMO_VILLAGES:
        village, _created = Village.objects.update_or_create(
            code=demo_village_code(township_code, number),
            defaults={
                "name": f"{name}{SAMPLE_NAME_MARK}",
                "township": Township.objects.get(code=township_code),
                "formerly_poor": formerly_poor,
                "is_sample": True,
            },
        )
        villages.append(village)
    return villages
