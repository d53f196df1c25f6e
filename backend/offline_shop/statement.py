"""A merchant's consignment statement as an xlsx workbook (openpyxl)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from backend.offline_shop.models import Settlement


def settlement_xlsx(*, settlement: Settlement) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "结算单 Statement"
    s = settlement
    sheet.append(["线下地方特产馆 寄售结算单 / Consignment statement"])
    sheet.append(["店铺 Shop", s.shop.name])
    sheet.append(["商家 Merchant", s.seller.name])
    sheet.append(["期间 Period", f"{s.period_start} — {s.period_end}"])
    sheet.append([])
    for label, value in (
        ("寄售入库 Units consigned", s.units_consigned),
        ("退回商家 Units taken back", s.units_unconsigned),
        ("售出 Units sold", s.units_sold),
        ("顾客退货 Units returned", s.units_returned),
        ("销售额 Sales", s.sales_amount),
        ("退款 Refunds", s.refunds_amount),
        ("佣金率 Commission rate", s.commission_rate),
        ("佣金 Commission", s.commission_amount),
        ("应付商家 Owed to merchant", s.owed_amount),
    ):
        sheet.append([label, float(value) if isinstance(value, Decimal) else value])
    sheet.append([])
    sheet.append(["商家编码 Outer id", "商品 Product", "规格 Spec", "寄售 Consigned", "售出 Sold",
                  "标价金额 At shelf price"])  # fmt: skip
    for line in s.lines:
        sheet.append([line["outer_id"], line["title"], line["spec"], line["consigned"],
                      line["sold"], float(Decimal(line["amount"]))])  # fmt: skip
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 24
    out = BytesIO()
    book.save(out)
    return out.getvalue()
