"""Consignment settlement on a known data set (exact figures), its xlsx statement, a period
settled once; and the office's daily view of the shop's sales beside the online ones."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from backend.catalog.models import StockEntry
from backend.catalog.services_locations import stock_unconsign
from backend.offline_shop.models import CounterReturn, Settlement
from backend.orders.models import Order, Payment
from tests.backend.offline_shop.conftest import paid_notice, sell
from tests.backend.orders.conftest import checkout_body

pytestmark = pytest.mark.django_db


def _settle(client, shop, seller, start, end):
    return client.post(
        f"/api/v1/shop-counter/shops/{shop.pk}/settlements",
        {"seller_id": seller.pk, "period_start": str(start), "period_end": str(end)},
        content_type="application/json",
    )


def test_settlement_figures_statement_and_once(
    cashier_client, office_client, shop, stocked, shift, cashier
) -> None:
    honey = stocked["honey"]
    stock_unconsign(sku_id=honey.pk, location=shop.shelf, quantity=1, by=cashier)
    a = sell(cashier_client, shop, [(honey, 2), (stocked["millet"], 2)]).json()
    sell(cashier_client, shop, [(honey, 1)], kind="counter_card")
    honey_line = a["orders"][0]["lines"][0]["line_id"]
    cashier_client.post(
        f"/api/v1/shop-counter/receipts/{a['number']}/returns",
        {"lines": [{"line_id": honey_line, "quantity": 1}]},
        content_type="application/json",
    )
    yesterday = timezone.now() - timedelta(days=1)
    StockEntry.objects.update(created_at=yesterday)
    Order.objects.update(paid_at=yesterday)
    CounterReturn.objects.update(created_at=yesterday)
    day = timezone.localdate(yesterday)
    today = _settle(office_client, shop, honey.seller, day, timezone.localdate())
    assert (today.status_code, today.json()["error"]["code"]) == (422, "shop.period_invalid")
    assert _settle(cashier_client, shop, honey.seller, day, day).status_code == 403

    made = _settle(office_client, shop, honey.seller, day, day)
    assert made.status_code == 201, made.content
    body = made.json()
    body.pop("id")
    # Sold 129.20 (2 jars, less their share of the 5 % rule) + 68.00; one jar back: 64.60.
    # Net 132.60; 15 % commission 19.89; owed 112.71.
    assert body == {
        "seller_id": honey.seller_id,
        "seller": "蜂业合作社",
        "period_start": str(day),
        "period_end": str(day),
        "units_consigned": 5,
        "units_unconsigned": 1,
        "units_sold": 3,
        "units_returned": 1,
        "sales_amount": "197.20",
        "refunds_amount": "64.60",
        "commission_rate": "0.1500",
        "commission_amount": "19.89",
        "owed_amount": "112.71",
        "lines": [
            {"outer_id": "H-500", "title": "刺槐蜂蜜", "spec": "500g 瓶装", "consigned": 5,
             "sold": 3, "amount": "204.00"},
        ],
    }  # fmt: skip
    again = _settle(office_client, shop, honey.seller, day - timedelta(days=3), day)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "shop.period_settled")
    assert Settlement.objects.count() == 1
    url = f"/api/v1/shop-counter/shops/{shop.pk}"
    listed = office_client.get(f"{url}/settlements").json()
    assert [(x["seller"], x["owed_amount"]) for x in listed] == [("蜂业合作社", "112.71")]
    assert office_client.get(f"{url}/merchants").json() == [
        {"id": stocked["millet"].seller_id, "name": "小米合作社"},
        {"id": honey.seller_id, "name": "蜂业合作社"},
    ]

    sheet = office_client.get(
        f"/api/v1/shop-counter/settlements/{Settlement.objects.get().pk}/statement.xlsx"
    )
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[2][:2] == ("商家 Merchant", "蜂业合作社")
    assert ("应付商家 Owed to merchant", 112.71) in [r[:2] for r in rows]
    assert rows[-1] == ("H-500", "刺槐蜂蜜", "500g 瓶装", 5, 3, 204.0)


def test_the_office_sees_the_shop_beside_the_online_stores(
    cashier_client, office_client, buyer_client, client, shop, stocked, shift, payments
) -> None:
    sell(cashier_client, shop, [(stocked["honey"], 2)])
    placed = buyer_client.post(
        "/api/v1/orders/checkouts",
        checkout_body([(stocked["honey"], 1)]),
        content_type="application/json",
    )
    assert placed.status_code == 201
    order = Order.objects.get(source_kind="direct")
    payment_id = Payment.objects.get(checkout=order.checkout).provider_payment_id
    notice = paid_notice(payments, payment_id)
    client.post("/api/v1/payments/notify", notice, content_type="application/json")
    view = office_client.get("/api/v1/shop-counter/office/daily")
    assert view.status_code == 200
    assert (view.json()["shop_amount"], view.json()["online_amount"]) == ("136.00", "68.00")
    assert [
        (r["seller"], r["title"], r["shop_units"], r["shop_amount"], r["online_units"],
         r["online_amount"])
        for r in view.json()["rows"]
    ] == [("蜂业合作社", "刺槐蜂蜜", 2, "136.00", 1, "68.00")]  # fmt: skip
    assert cashier_client.get("/api/v1/shop-counter/office/daily").status_code == 403


def test_the_office_daily_view_counts_what_buyers_paid_after_discounts(
    cashier_client, office_client, shop, stocked, shift
) -> None:
    """Three jars (204.00) pass the shop's 满200享95折: the receipt takes 10.20 off, and the
    daily view counts the 193.80 paid, shared among the lines to the fen."""
    sold = sell(cashier_client, shop, [(stocked["honey"], 3), (stocked["millet"], 1)])
    assert sold.status_code == 201, sold.content
    order_paid = {o.seller_id: o.paid_amount for o in Order.objects.all()}
    view = office_client.get("/api/v1/shop-counter/office/daily").json()
    by_title = {r["title"]: r["shop_amount"] for r in view["rows"]}
    assert by_title == {
        "刺槐蜂蜜": str(order_paid[stocked["honey"].seller_id]),
        "黄小米": str(order_paid[stocked["millet"].seller_id]),
    }
    assert by_title["刺槐蜂蜜"] != "204.00"
    assert view["shop_amount"] == str(sum(order_paid.values()))


def test_an_orders_discount_is_shared_among_its_lines_to_the_fen(
    office_client, make_user, sellers
) -> None:
    """One order, two products of one seller (68.00 + 32.00) and 10.00 off: the daily view
    counts 61.20 and 28.80, which add up to the 90.00 paid."""
    from decimal import Decimal

    from backend.catalog.models import ProductStatus
    from backend.orders.models import PaymentKind
    from backend.orders.pricing import Discount
    from backend.orders.services_checkout import Consignee, checkout_place
    from tests.factories.catalog import ProductFactory, SkuFactory

    def sku(title: str, price: str):
        product = ProductFactory(seller=sellers[0], title=title, status=ProductStatus.ON_SALE)
        return SkuFactory(product=product, price=price, stock=5)

    honey, comb = sku("刺槐蜂蜜", "68.00"), sku("蜂巢蜜", "32.00")
    checkout_place(
        buyer=make_user(username="member"),
        idempotency_key="daily-view-discount",
        items=[(honey.pk, 1), (comb.pk, 1)],
        consignee=Consignee(name="柜台", phone="13900000000", address="沁水县龙港镇"),
        discounts=[Discount(amount=Decimal("10.00"), source="coupon:1")],
        payment_kind=PaymentKind.COUNTER_CASH,
    )
    view = office_client.get("/api/v1/shop-counter/office/daily").json()
    assert {r["title"]: r["online_amount"] for r in view["rows"]} == {
        "刺槐蜂蜜": "61.20",
        "蜂巢蜜": "28.80",
    }
    assert view["online_amount"] == "90.00"


def test_the_office_sets_up_a_shop_with_its_own_shelf_in_the_admin(admin_client) -> None:
    from backend.offline_shop.models import Shop
    from tests.factories.accounts import OrganisationFactory

    operator = OrganisationFactory(name="公共服务中心")
    response = admin_client.post(
        "/admin/offline_shop/shop/add/",
        {"name": "端氏特产馆", "operator": operator.pk, "address": "端氏镇",
         "commission_rate": "0.1200", "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0",
         "rules-0-name": "满100享9折", "rules-0-threshold": "100.00", "rules-0-percent_off": "10",
         "rules-0-is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    shop = Shop.objects.get()
    assert (shop.shelf.kind, shop.shelf.name, str(shop.commission_rate)) == (
        "shop_shelf", "端氏特产馆 货架", "0.1200"
    )  # fmt: skip
    assert list(shop.rules.values_list("name", "percent_off")) == [("满100享9折", 10)]
    for path in ("shop/", "shift/", "shiftclose/", "settlement/"):
        assert admin_client.get(f"/admin/offline_shop/{path}").status_code == 200
