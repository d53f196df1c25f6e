"""The milestones the office starts with, as data (admin may add more; the rule kinds are
an open set, e.g. training attendance fed by the training module)."""

from decimal import Decimal

from django.db import migrations

COMPANY, FARMER = "influencer_company", "influencer_farmer"
RESIDENT, STORE = "resident_enterprise", "village_store"

# key, name, kind, threshold, kinds, required for graduation
RULES = [
    ("first-session", "首场直播", "sessions", "1", [COMPANY, FARMER], True),
    ("ten-sessions", "直播10场", "sessions", "10", [COMPANY, FARMER], False),
    ("gmv-10000", "累计成交1万元", "gmv", "10000", [], False),
    ("gmv-100000", "累计成交10万元", "gmv", "100000", [COMPANY, RESIDENT], False),
    ("peak-viewers-1000", "单场观看峰值1000人", "peak_viewers", "1000", [COMPANY, FARMER], False),
    ("store-bound", "开通电商平台网店", "store_bound", "1", [RESIDENT, STORE], True),
    ("followers-1000", "新增粉丝1000", "followers", "1000", [COMPANY, FARMER], False),
    ("training-3", "参加培训3次", "training", "3", [FARMER], False),
]


def seed(apps, schema_editor):
    rule = apps.get_model("incubation", "MilestoneRule")
    for position, (key, name, kind, threshold, kinds, required) in enumerate(RULES, start=1):
        rule.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": kind,
                "threshold": Decimal(threshold),
                "kinds": kinds,
                "required_for_graduation": required,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("incubation", "MilestoneRule").objects.filter(
        key__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("incubation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
