"""The merchant's spreadsheet: what buyers and merchants typed is written as text, never as a
live formula (formula injection), and reads back exactly as typed."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.backend.orders.conftest import checkout_body
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/","点我")'
ADDRESS = "@SUM(1+1)*cmd|' /C calc'!A0 沁水县端氏镇"
TITLE = "+1+2 刺槐蜂蜜"
SPEC = "-2+3 500g"


def test_typed_text_starting_like_a_formula_is_written_as_text(
    buyer_client, seller_client, sellers, payments
) -> None:
    product = ProductFactory(seller=sellers[0], title=TITLE, status="on_sale")
    sku = SkuFactory(product=product, price="10.00", stock=5, outer_id="F-1", spec_text=SPEC)
    body = checkout_body([(sku, 1)])
    body["consignee"].update(name=NAME, address=ADDRESS)
    placed = buyer_client.post("/api/v1/orders/checkouts", body, content_type="application/json")
    assert placed.status_code == 201

    response = seller_client.get("/api/v1/orders/seller/export.xlsx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    row = load_workbook(io.BytesIO(response.content)).active[2]
    name, address, goods = row[4], row[6], row[8]
    assert (name.value, address.value, goods.value) == (NAME, ADDRESS, f"{TITLE} {SPEC}×1")
    assert [c.data_type for c in (name, address, goods)] == ["s", "s", "s"]
    # Excel keeps them text even when someone edits the cell.
    assert [c.quotePrefix for c in (name, address, goods)] == [True, True, True]
    assert row[0].quotePrefix is False  # ordinary cells are left alone
