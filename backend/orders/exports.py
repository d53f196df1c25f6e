"""The merchant's order spreadsheet and per-order packing list."""

from __future__ import annotations

import io
from html import escape

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from backend.orders.models import Order

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
    rows = orders.select_related("courier", "township").prefetch_related("lines").order_by("id")
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
        sheet.cell(row=sheet.max_row, column=11).number_format = "0.00"
    for index, width in enumerate([22, 17, 10, 10, 10, 14, 36, 10, 40, 6, 10, 10, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def packing_list_html(*, order: Order) -> str:
    rows = "".join(
        f"<tr><td>{escape(line.outer_id)}</td><td>{escape(line.title)}</td>"
        f"<td>{escape(line.spec_text)}</td><td>{line.quantity}</td><td>□</td></tr>"
        for line in order.lines.all()
    )
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>配货单 {escape(order.number)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #999;padding:.4em}}</style></head><body>
<h1>配货单</h1>
<p>订单号 {escape(order.number)} · 卖家 {escape(order.seller.name)} ·
下单 {timezone.localtime(order.created_at):%Y-%m-%d %H:%M}</p>
<p>收货人 {escape(order.consignee_name)} {escape(order.consignee_phone)}<br>
{escape(order.address)}</p>
<table><tr><th>商家编码</th><th>商品</th><th>规格</th><th>数量</th><th>已配</th></tr>{rows}</table>
<p>备注：{escape(order.remark) or "无"}</p>
</body></html>"""
