"""The plan's targets as seeded from 沁政办发〔2022〕15号, read through the selectors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.common.errors import NotFound
from backend.plan.keys import TargetKey
from backend.plan.models import Period, Target
from backend.plan.selectors import target_get, targets_all

pytestmark = pytest.mark.django_db

# key, comparison, value, unit, cadence, section: DESIGN.md "Data the plan fixes"
TARGETS = [
    ("township-stations", "exactly", "12.00", "个", "total", "三（一）1（2）"),
    ("village-service-coverage", "at_least", "70.00", "%", "total", "三（一）1（2）"),
    ("couriers-integrated", "at_least", "4.00", "家", "total", "三（一）2（1）"),
    ("delivery-cost-reduction", "at_least", "30.00", "%", "total", "三（一）2（1）"),
    ("delivery-timeliness-improvement", "at_least", "50.00", "%", "total", "三（一）2（1）"),
    ("township-express-coverage", "at_least", "100.00", "%", "total", "三（一）2（1）"),
    ("public-brand", "exactly", "1.00", "个", "total", "三（三）1（2）"),
    ("quality-brands", "exactly", "3.00", "个", "total", "三（三）1（2）"),
    ("graded-packaging-standards", "at_least", "5.00", "个", "total", "三（三）1（2）"),
    ("supply-chain-products", "at_least", "3.00", "款", "total", "三（三）1（2）"),
    ("ecommerce-parks", "at_least", "3.00", "个", "total", "三（三）1（2）"),
    ("exhibitions", "at_least", "3.00", "场", "total", "三（三）2（2）"),
    ("influencer-companies", "at_least", "5.00", "家", "total", "三（三）2（2）"),
    ("influencer-farmers", "at_least", "20.00", "人", "total", "三（三）2（2）"),
    ("online-specialty-stores", "at_least", "3.00", "个", "total", "三（三）2（2）"),
    ("offline-specialty-store", "exactly", "1.00", "个", "total", "三（三）2（2）"),
    ("service-centre-enterprises", "at_least", "20.00", "家", "total", "三（三）3（2）"),
    ("operations-team", "at_least", "8.00", "人", "total", "三（三）3（2）"),
    ("salons-per-year", "at_least", "10.00", "期", "per_year", "三（四）2"),
    ("training-person-times", "at_least", "4000.00", "人次", "total", "三（四）2"),
    ("central-fund", "exactly", "15000000.00", "元", "total", "四"),
    ("fund-share-logistics", "exactly", "30.00", "%", "total", "四（预算资金表）"),
    ("fund-share-public-service", "exactly", "15.00", "%", "total", "四（预算资金表）"),
    ("fund-share-agricultural-products", "exactly", "50.00", "%", "total", "四（预算资金表）"),
    ("fund-share-training", "exactly", "5.00", "%", "total", "四（预算资金表）"),
]


def test_every_target_of_the_plan_is_seeded_exactly() -> None:
    rows = [
        (t.key, t.comparison, f"{t.value}", t.unit, t.cadence, t.section) for t in targets_all()
    ]
    assert rows == TARGETS
    assert {t.period.key for t in targets_all()} == {"programme"}
    assert {t.document for t in targets_all()} == {"沁政办发〔2022〕15号"}


def test_the_keys_enum_names_exactly_the_seeded_targets() -> None:
    assert [k.value for k in TargetKey] == [row[0] for row in TARGETS]


@pytest.mark.parametrize(
    ("key", "wording"),
    [
        (TargetKey.TOWNSHIP_STATIONS, "建设 12 个乡（镇）电商服务站"),
        (TargetKey.VILLAGE_COVERAGE, "行政村电商服务覆盖率达到 70% 以上"),
        (TargetKey.DELIVERY_COST_REDUCTION, "物流资源整合后，总配送成本降低30%以上"),
        (TargetKey.SALONS_PER_YEAR, "每年组织电商沙龙不少于 10 期"),
        (TargetKey.TRAINING_PERSON_TIMES, "累计组织电商培训不少于 4000 人次"),
        (TargetKey.CENTRAL_FUND, "2021年电子商务进农村综合示范项目中央资金支持1500万元"),
        (TargetKey.FUND_SHARE_AGRICULTURAL_PRODUCTS, "农产品进城公共服务体系：50%"),
    ],
)
def test_targets_quote_the_plan(key: TargetKey, wording: str) -> None:
    assert target_get(key=key).wording == wording


def test_the_fund_split_covers_the_whole_central_fund() -> None:
    fund = target_get(key=TargetKey.CENTRAL_FUND).value
    shares = [
        target_get(key=key).value
        for key in (
            TargetKey.FUND_SHARE_LOGISTICS,
            TargetKey.FUND_SHARE_PUBLIC_SERVICE,
            TargetKey.FUND_SHARE_AGRICULTURAL_PRODUCTS,
            TargetKey.FUND_SHARE_TRAINING,
        )
    ]
    assert sum(shares) == Decimal("100.00")
    assert [fund * s / 100 for s in shares] == [
        Decimal("4500000"),
        Decimal("2250000"),
        Decimal("7500000"),
        Decimal("750000"),
    ]


def test_the_periods_of_the_plan() -> None:
    rows = list(Period.objects.values_list("key", "name", "start", "end", "section"))
    assert rows == [
        ("programme", "示范项目实施期", date(2021, 9, 1), date(2023, 12, 31), "五"),
        ("launch", "重点启动阶段", date(2021, 9, 1), date(2022, 1, 31), "五（一）"),
        ("rollout", "全面推进阶段", date(2022, 2, 1), date(2022, 12, 31), "五（二）"),
        ("evaluation", "绩效评价阶段", date(2023, 1, 1), date(2023, 3, 31), "五（三）"),
        ("wrap-up", "总结推广阶段", date(2023, 4, 1), date(2023, 12, 31), "五（四）"),
    ]


@pytest.mark.parametrize(
    ("key", "actual", "met"),
    [
        (TargetKey.VILLAGE_COVERAGE, "70", True),
        (TargetKey.VILLAGE_COVERAGE, "69.99", False),
        (TargetKey.TOWNSHIP_STATIONS, "12", True),
        (TargetKey.TOWNSHIP_STATIONS, "13", False),
    ],
)
def test_is_met_by_follows_the_comparison(key: TargetKey, actual: str, met: bool) -> None:
    assert target_get(key=key).is_met_by(Decimal(actual)) is met


def test_at_most_is_met_from_below() -> None:
    target = Target(comparison=Target.Comparison.AT_MOST, value=Decimal("5"))
    assert (target.is_met_by(Decimal("5")), target.is_met_by(Decimal("5.01"))) == (True, False)


def test_an_unknown_key_is_not_found() -> None:
    with pytest.raises(NotFound):
        target_get(key="no-such-target")
