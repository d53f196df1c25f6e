"""The address resolver: exact, alias and contained names; no guess when in doubt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from backend.geo.models import Township
from backend.geo.resolver import MatchKind, Resolution, ResolutionStatus, address_resolve
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db

S, M = ResolutionStatus, MatchKind


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are translated; these tests read the English source text."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def villages() -> None:
    def village(township: str, code: str, name: str) -> None:
        VillageFactory(township=Township.objects.get(code=township), code=code, name=name)

    village("140521103", "140521103201", "端氏村")
    village("140521103", "140521103202", "河北村")
    village("140521104", "140521104201", "河北村")
    village("140521104", "140521104203", "苏庄村")
    village("140521100", "140521100201", "杏园村")
    village("140521100", "140521100202", "上杏园村")


def _summary(r: Resolution) -> tuple[object, ...]:
    return (
        r.status,
        r.township.name if r.township else None,
        r.village.code if r.village else None,
        r.township_match,
        r.village_match,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("端氏镇", (S.TOWNSHIP, "端氏镇", None, M.EXACT, None)),
        ("端氏", (S.TOWNSHIP, "端氏镇", None, M.ALIAS, None)),
        ("沁水县 端氏镇", (S.TOWNSHIP, "端氏镇", None, M.EXACT, None)),
        ("端氏镇端氏村", (S.MATCHED, "端氏镇", "140521103201", M.CONTAINED, M.EXACT)),
        (
            "山西省晋城市沁水县端氏镇端氏村12号",
            (S.MATCHED, "端氏镇", "140521103201", M.CONTAINED, M.CONTAINED),
        ),
        ("龙港杏园村", (S.MATCHED, "龙港镇", "140521100201", M.ALIAS, M.EXACT)),
        ("龙港镇上杏园村3号", (S.MATCHED, "龙港镇", "140521100202", M.CONTAINED, M.CONTAINED)),
        ("杏园村", (S.MATCHED, "龙港镇", "140521100201", M.VIA_VILLAGE, M.EXACT)),
        ("端氏镇河北村", (S.MATCHED, "端氏镇", "140521103202", M.CONTAINED, M.EXACT)),
        ("嘉峰镇 河北", (S.MATCHED, "嘉峰镇", "140521104201", M.CONTAINED, M.SHORT_NAME)),
        ("苏庄村", (S.MATCHED, "嘉峰镇", "140521104203", M.VIA_VILLAGE, M.EXACT)),
        ("端氏镇王家庄", (S.TOWNSHIP, "端氏镇", None, M.CONTAINED, None)),
    ],
)
def test_matches(text: str, expected: tuple[object, ...]) -> None:
    assert _summary(address_resolve(text=text)) == expected


def test_a_village_name_in_two_townships_is_ambiguous_not_a_guess() -> None:
    result = address_resolve(text="河北村")
    assert _summary(result) == (S.AMBIGUOUS, None, None, None, None)
    assert [(c.township.name, c.village and c.village.code) for c in result.candidates] == [
        ("端氏镇", "140521103202"),
        ("嘉峰镇", "140521104201"),
    ]
    assert result.message == "The text fits several villages; name the township too."


def test_two_townships_in_the_text_is_ambiguous() -> None:
    result = address_resolve(text="龙港镇还是端氏镇")
    assert _summary(result) == (S.AMBIGUOUS, None, None, None, None)
    assert [(c.township.name, c.village) for c in result.candidates] == [
        ("龙港镇", None),
        ("端氏镇", None),
    ]


@pytest.mark.parametrize(
    ("text", "how"),
    [("苏庄乡", M.EXACT), ("苏庄", M.ALIAS), ("沁水县樊村河乡河北村", M.CONTAINED)],
)
def test_a_dissolved_township_is_recognised_and_its_villages_not_guessed(
    text: str, how: MatchKind
) -> None:
    result = address_resolve(text=text)
    assert result.status is S.DISSOLVED
    assert result.township is not None and result.township.is_dissolved
    assert (result.village, result.candidates, result.township_match) == (None, [], how)
    assert "2021" in result.message
    assert "no village is suggested" in result.message


@pytest.mark.parametrize("text", ["北京市朝阳区建国路", "   ", "，。", "山西省晋城市沁水县"])
def test_unknown_text_matches_nothing(text: str) -> None:
    result = address_resolve(text=text)
    assert _summary(result) == (S.UNKNOWN, None, None, None, None)
    assert result.candidates == []


def test_the_resolver_reads_the_registry_in_three_queries(django_assert_num_queries) -> None:
    with django_assert_num_queries(3):
        address_resolve(text="端氏镇端氏村")
