"""The merchant's order spreadsheet and per-order packing list."""

from __future__ import annotations

import io
from datetime import date
from html import escape

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter

from backend.orders.models import Order

# A spreadsheet evaluates typed text that starts with one of these (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "订单号",
    "下单时间",
    "状态",
    "来源",
    "收货人",
    "电话",
    "地址",
    "乡镇",
    "商品",
    "数量",
    "实付(元)",
    "快递",
    "运单号",
]


def orders_xlsx(*, orders: QuerySet[Order]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "订单"
    sheet.append(HEADER)
    # The same rows in the same order as the merchant's screen (newest first).
    rows = orders.select_related("courier", "township").prefetch_related("lines")
    for order in rows:
        lines = list(order.lines.all())
        sheet.append(
            [
                order.number,
                timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
                order.get_status_display(),
                order.get_source_kind_display(),
                order.consignee_name,
                order.consignee_phone,
                order.address,
                order.township.name if order.township else "",
                "；".join(f"{line.title} {line.spec_text}×{line.quantity}" for line in lines),
                sum(line.quantity for line in lines),
                float(order.paid_amount),  # a number cell, so the sheet can sum it
                order.courier.name if order.courier else "",
                order.waybill_no,
            ]
        )
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
        sheet.cell(row=sheet.max_row, column=11).number_format = "0.00"
    for index, width in enumerate([22, 17, 10, 10, 10, 14, 36, 10, 40, 6, 10, 10, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_filename(*, date_from: date | None, date_to: date | None) -> str:
    """orders_2026-11-01_2026-11-30.xlsx for the range asked (to today when open-ended);
    orders_to_2026-11-30.xlsx when no start was given."""
    end = (date_to or timezone.localdate()).isoformat()
    return f"orders_{date_from.isoformat()}_{end}.xlsx" if date_from else f"orders_to_{end}.xlsx"


def _as_text(cell: Cell) -> None:
    """Buyers' names and addresses and merchants' titles are text, never live formulas:
    a string cell, quote-prefixed so Excel keeps it text when someone edits it."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def packing_list_html(*, order: Order) -> str:
    rows = "".join(
        f"<tr><td>{escape(line.outer_id)}</td><td>{escape(line.title)}</td>"
        f"<td>{escape(line.spec_text)}</td><td>{line.quantity}</td><td>□</td></tr>"
        for line in order.lines.all()
    )
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>装箱单 {escape(order.number)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #999;padding:.4em}}button{{font-size:1rem;padding:.5em 1.5em}}
@media print{{.no-print{{display:none}}}}</style></head><body>
<p class="no-print"><button type="button" id="print" onclick="window.print()">打印</button></p>
<h1>装箱单</h1>
<p>订单号 {escape(order.number)} · 卖家 {escape(order.seller.name)} ·
下单 {timezone.localtime(order.created_at):%Y-%m-%d %H:%M}</p>
<p>收货人 {escape(order.consignee_name)} {escape(order.consignee_phone)}<br>
{escape(order.address)}</p>
<table><tr><th>商家编码</th><th>商品</th><th>规格</th><th>数量</th><th>已装</th></tr>{rows}</table>
<p>备注：{escape(order.remark) or "无"}</p>
</body></html>"""
