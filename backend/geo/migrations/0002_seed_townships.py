"""The townships of Qinshui (沁水县, county code 140521) with their NBS statistical codes.

Source: NBS 统计用区划代码 (2022-10-31 list, via modood/Administrative-divisions-of-China);
7 镇 + 5 乡 = 12, matching 沁政发〔2024〕16号 ("下辖7镇5乡"). 樊村河乡 and 苏庄乡 are in the
2020-06-30 list and gone from the 2021-10-31 list; where their villages went is not recorded,
so they are kept as dissolved townships with no successor (old addresses still use them).
Each township's alias is its name without 镇/乡, the way people write it.
"""

from django.db import migrations

# code, name, kind, dissolved year
TOWNSHIPS = [
    ("140521100", "龙港镇", "town", None),
    ("140521101", "中村镇", "town", None),
    ("140521102", "郑庄镇", "town", None),
    ("140521103", "端氏镇", "town", None),
    ("140521104", "嘉峰镇", "town", None),
    ("140521105", "郑村镇", "town", None),
    ("140521106", "柿庄镇", "town", None),
    ("140521200", "樊村河乡", "township", 2021),
    ("140521201", "土沃乡", "township", None),
    ("140521202", "张村乡", "township", None),
    ("140521203", "苏庄乡", "township", 2021),
    ("140521204", "胡底乡", "township", None),
    ("140521205", "固县乡", "township", None),
    ("140521206", "十里乡", "township", None),
]
NOTES = {
    "140521100": "县城所在地。",
    "140521200": "2021年撤销（见于2020-06-30区划代码，2021-10-31已无）；"
    "所辖村并入何乡镇未见记载，不作推测。",
    "140521203": "2021年撤销（见于2020-06-30区划代码，2021-10-31已无）；"
    "所辖村并入何乡镇未见记载，不作推测。",
}


def seed(apps, schema_editor):
    Township = apps.get_model("geo", "Township")
    TownshipAlias = apps.get_model("geo", "TownshipAlias")
    for code, name, kind, dissolved_year in TOWNSHIPS:
        township, _created = Township.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "is_dissolved": dissolved_year is not None,
                "dissolved_year": dissolved_year,
                "note": NOTES.get(code, ""),
            },
        )
        TownshipAlias.objects.update_or_create(alias=name[:-1], defaults={"township": township})


def unseed(apps, schema_editor):
    Township = apps.get_model("geo", "Township")
    Township.objects.filter(code__in=[row[0] for row in TOWNSHIPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
