"""Couriers and their marketplace codes: reference/platform-apis.md §4 and
reference/rural-domain.md §4 (old snapshots; waybill patterns are a soft check)."""

from django.db import migrations

COURIERS = [
    # code, name, kuaidi100, kdn, taobao, pdd id, jd id, waybill pattern
    ("ZTO", "中通快递", "zhongtong", "ZTO", "ZTO", 115, 1499, r"\d{12,15}"),
    ("STO", "申通快递", "shentong", "STO", "STO", 1, 470, r"\d{12,15}"),
    ("YTO", "圆通速递", "yuantong", "YTO", "YTO", 85, 463, r"YT\d{13}|[A-Za-z0-9]{10,12}"),
    ("YUNDA", "韵达快递", "yunda", "YD", "YUNDA", 121, 1327, r"\d{13}|\d{15}"),
    ("SF", "顺丰速运", "shunfeng", "SF", "SF", 44, 467, r"SF\d{13}|\d{12}"),
    ("EMS", "EMS", "ems", "EMS", "EMS", 118, 465, r"\d{13}|[A-Z]{2}\d{9}[A-Z]{2}"),
    ("POSTB", "邮政快递包裹", "youzhengguonei", "YZPY", "POSTB", 132, None, r"\d{13}"),
    ("JD", "京东物流", "jd", "JD", "", 120, 2087, r"JD[XK]?\d{12,13}|JDV[A-Z]\d{11}"),
    ("JTSD", "极兔速递", "jtexpress", "JTSD", "", 384, None, r"JT\d{12,13}"),
    ("HTKY", "百世快递", "huitongkuaidi", "HTKY", "HTKY", 3, None, r"\d{12,15}|JT\d{12,13}"),
    ("DBL", "德邦快递", "debangkuaidi", "DBL", "", None, None, r"\d{8,10}|DPK\d+"),
]


def seed(apps, schema_editor):
    Courier = apps.get_model("orders", "Courier")
    for code, name, k100, kdn, taobao, pdd, jd, pattern in COURIERS:
        Courier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kuaidi100_code": k100,
                "kdn_code": kdn,
                "taobao_code": taobao,
                "pdd_logistics_id": pdd,
                "jd_logistics_id": jd,
                "waybill_pattern": pattern,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
