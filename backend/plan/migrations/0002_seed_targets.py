"""The plan's targets and periods, from 沁水县电子商务进农村综合示范项目实施方案
(沁政办发〔2022〕15号), the list in DESIGN.md "Data the plan fixes".

`wording` quotes the plan verbatim (spacing as in the published text), except the four
budget shares, which come from the plan's table 项目名称｜预算资金 and are written
"row: share". Comparison follows the plan's words: 以上 / 不少于 / 不低于 / 达到 give
at_least; a bare number ("培育 3 个", "1 个线下") gives exactly.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PERIODS = [
    ("programme", "示范项目实施期", date(2021, 9, 1), date(2023, 12, 31), "五"),
    ("launch", "重点启动阶段", date(2021, 9, 1), date(2022, 1, 31), "五（一）"),
    ("rollout", "全面推进阶段", date(2022, 2, 1), date(2022, 12, 31), "五（二）"),
    ("evaluation", "绩效评价阶段", date(2023, 1, 1), date(2023, 3, 31), "五（三）"),
    ("wrap-up", "总结推广阶段", date(2023, 4, 1), date(2023, 12, 31), "五（四）"),
]

# key, name, wording, unit, comparison, value, cadence, section
TARGETS = [
    (
        "township-stations",
        "乡镇电商服务站",
        "建设 12 个乡（镇）电商服务站",
        "个",
        "exactly",
        "12",
        "total",
        "三（一）1（2）",
    ),
    (
        "village-service-coverage",
        "行政村电商服务覆盖率",
        "行政村电商服务覆盖率达到 70% 以上",
        "%",
        "at_least",
        "70",
        "total",
        "三（一）1（2）",
    ),
    (
        "couriers-integrated",
        "整合主流快递公司",
        "整合中通、申通、汇通、圆通、韵达、极兔、京东、菜鸟等不低于4家主流快递公司",
        "家",
        "at_least",
        "4",
        "total",
        "三（一）2（1）",
    ),
    (
        "delivery-cost-reduction",
        "总配送成本降幅",
        "物流资源整合后，总配送成本降低30%以上",
        "%",
        "at_least",
        "30",
        "total",
        "三（一）2（1）",
    ),
    (
        "delivery-timeliness-improvement",
        "配送时效提升",
        "配送时效提升50%以上",
        "%",
        "at_least",
        "50",
        "total",
        "三（一）2（1）",
    ),
    (
        "township-express-coverage",
        "乡镇物流快递业务服务覆盖率",
        "乡镇物流快递业务服务覆盖率达到100%",
        "%",
        "at_least",
        "100",
        "total",
        "三（一）2（1）",
    ),
    (
        "public-brand",
        "县域公共品牌",
        "针对县内主导特色产业着力培育 1 个县域公共品牌",
        "个",
        "exactly",
        "1",
        "total",
        "三（三）1（2）",
    ),
    (
        "quality-brands",
        "优质农产品品牌",
        "培育 3 个优质农产品品牌，并进行商标注册保护",
        "个",
        "exactly",
        "3",
        "total",
        "三（三）1（2）",
    ),
    (
        "graded-packaging-standards",
        "农产品标准化分级包装",
        "策划设计 5 个以上农产品标准化分级包装",
        "个",
        "at_least",
        "5",
        "total",
        "三（三）1（2）",
    ),
    (
        "supply-chain-products",
        "优质供应链产品",
        "打造不少于 3 款优质供应链产品",
        "款",
        "at_least",
        "3",
        "total",
        "三（三）1（2）",
    ),
    (
        "ecommerce-parks",
        "电商集聚园区",
        "打造不少于 3 个电商仓储、电商创客空间、农村电商孵化等各类电商集聚园区",
        "个",
        "at_least",
        "3",
        "total",
        "三（三）1（2）",
    ),
    (
        "exhibitions",
        "展销促销活动",
        "组织开展各类展销促销活动不少于 3 场",
        "场",
        "at_least",
        "3",
        "total",
        "三（三）2（2）",
    ),
    (
        "influencer-companies",
        "网红企业",
        "培育网红企业 5 家以上",
        "家",
        "at_least",
        "5",
        "total",
        "三（三）2（2）",
    ),
    (
        "influencer-farmers",
        "网红农民",
        "网红农民 20 人以上",
        "人",
        "at_least",
        "20",
        "total",
        "三（三）2（2）",
    ),
    (
        "online-specialty-stores",
        "线上地方特产馆",
        "搭建不少于 3 个沁水线上地方特产馆",
        "个",
        "at_least",
        "3",
        "total",
        "三（三）2（2）",
    ),
    (
        "offline-specialty-store",
        "线下地方特产馆",
        "1 个线下地方特产馆",
        "个",
        "exactly",
        "1",
        "total",
        "三（三）2（2）",
    ),
    (
        "service-centre-enterprises",
        "进驻公共服务中心的电商企业",
        "引入 20 家以上电商企业（农副产品企业）进驻电商公共服务中心",
        "家",
        "at_least",
        "20",
        "total",
        "三（三）3（2）",
    ),
    (
        "operations-team",
        "公共服务中心专业运营团队",
        "建立不少于 8 人的专业团队负责三年以上电子商务公共服务中心日常运营和服务",
        "人",
        "at_least",
        "8",
        "total",
        "三（三）3（2）",
    ),
    (
        "salons-per-year",
        "电商沙龙",
        "每年组织电商沙龙不少于 10 期",
        "期",
        "at_least",
        "10",
        "per_year",
        "三（四）2",
    ),
    (
        "training-person-times",
        "电商培训人次",
        "累计组织电商培训不少于 4000 人次",
        "人次",
        "at_least",
        "4000",
        "total",
        "三（四）2",
    ),
    (
        "central-fund",
        "中央资金支持",
        "2021年电子商务进农村综合示范项目中央资金支持1500万元",
        "元",
        "exactly",
        "15000000",
        "total",
        "四",
    ),
    (
        "fund-share-logistics",
        "预算资金占比：三级物流配送体系",
        "县、乡、村三级物流配送体系：30%",
        "%",
        "exactly",
        "30",
        "total",
        "四（预算资金表）",
    ),
    (
        "fund-share-public-service",
        "预算资金占比：电子商务公共服务体系",
        "电子商务公共服务体系：15%",
        "%",
        "exactly",
        "15",
        "total",
        "四（预算资金表）",
    ),
    (
        "fund-share-agricultural-products",
        "预算资金占比：农产品进城公共服务体系",
        "农产品进城公共服务体系：50%",
        "%",
        "exactly",
        "50",
        "total",
        "四（预算资金表）",
    ),
    (
        "fund-share-training",
        "预算资金占比：农村电子商务培训体系",
        "农村电子商务培训体系：5%",
        "%",
        "exactly",
        "5",
        "total",
        "四（预算资金表）",
    ),
]


def seed(apps, schema_editor):
    Period = apps.get_model("plan", "Period")
    Target = apps.get_model("plan", "Target")
    for key, name, start, end, section in PERIODS:
        Period.objects.update_or_create(
            key=key, defaults={"name": name, "start": start, "end": end, "section": section}
        )
    programme = Period.objects.get(key="programme")
    for position, row in enumerate(TARGETS, start=1):
        key, name, wording, unit, comparison, value, cadence, section = row
        Target.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "wording": wording,
                "unit": unit,
                "comparison": comparison,
                "value": Decimal(value),
                "cadence": cadence,
                "period": programme,
                "section": section,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("plan", "Target").objects.filter(key__in=[t[0] for t in TARGETS]).delete()
    apps.get_model("plan", "Period").objects.filter(key__in=[p[0] for p in PERIODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
