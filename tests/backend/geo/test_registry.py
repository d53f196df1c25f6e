"""The townships seeded by migration: the 12 of today and the 2 dissolved in 2021."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from backend.geo.models import Township, Village
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db

TOWNSHIPS = [
    ("140521100", "龙港镇", "town", False, None),
    ("140521101", "中村镇", "town", False, None),
    ("140521102", "郑庄镇", "town", False, None),
    ("140521103", "端氏镇", "town", False, None),
    ("140521104", "嘉峰镇", "town", False, None),
    ("140521105", "郑村镇", "town", False, None),
    ("140521106", "柿庄镇", "town", False, None),
    ("140521200", "樊村河乡", "township", True, 2021),
    ("140521201", "土沃乡", "township", False, None),
    ("140521202", "张村乡", "township", False, None),
    ("140521203", "苏庄乡", "township", True, 2021),
    ("140521204", "胡底乡", "township", False, None),
    ("140521205", "固县乡", "township", False, None),
    ("140521206", "十里乡", "township", False, None),
]


def test_the_fourteen_townships_with_their_nbs_codes() -> None:
    rows = Township.objects.order_by("code").values_list(
        "code", "name", "kind", "is_dissolved", "dissolved_year"
    )
    assert list(rows) == TOWNSHIPS


def test_twelve_are_current_seven_towns_and_five_xiang() -> None:
    current = Township.objects.filter(is_dissolved=False)
    assert current.count() == 12
    assert current.filter(kind=Township.Kind.TOWN).count() == 7
    assert current.filter(kind=Township.Kind.TOWNSHIP).count() == 5


def test_dissolved_townships_say_no_successor_is_known() -> None:
    for code in ("140521200", "140521203"):
        note = Township.objects.get(code=code).note
        assert "2021年撤销" in note
        assert "不作推测" in note


def test_each_township_has_its_short_name_as_alias() -> None:
    aliases = {
        t.name: sorted(a.alias for a in t.aliases.all())
        for t in Township.objects.prefetch_related("aliases")
    }
    assert aliases == {name: [name[:-1]] for _code, name, *_rest in TOWNSHIPS}
    assert aliases["龙港镇"] == ["龙港"]
    assert aliases["樊村河乡"] == ["樊村河"]


def test_a_dissolved_township_needs_its_year() -> None:
    township = Township.objects.get(code="140521100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Township.objects.filter(pk=township.pk).update(is_dissolved=True)
    assert Township.objects.get(pk=township.pk).is_dissolved is False


@pytest.mark.parametrize(
    ("code", "is_sample"),
    [("990521103001", False), ("140521103201", True), ("14052110320", False)],
)
def test_sample_codes_and_code_format_are_database_rules(code: str, is_sample: bool) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageFactory(code=code, is_sample=is_sample)
    assert Village.objects.count() == 0
