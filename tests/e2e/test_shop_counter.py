"""The specialty shop's counter in a real browser (daphne, Chromium), tablet-sized: a
cashier opens a shift, scans one merchant's honey by its barcode, taps another merchant's
millet on the shelf, takes cash and prints the 80 mm receipt."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.catalog.models import LocationStock, ProductStatus, StockLocation
from backend.catalog.services_locations import stock_consign
from backend.offline_shop.access import CASHIER
from backend.offline_shop.models import Shop
from backend.orders.models import Order
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def counter(make_user):
    shelf = StockLocation.objects.create(kind=StockLocation.Kind.SHOP_SHELF, name="特产馆货架")
    shop = Shop.objects.create(
        name="沁水县地方特产馆", operator=OrganisationFactory(name="公共服务中心"), shelf=shelf,
        address="龙港镇示例街 1 号", commission_rate=Decimal("0.1500"),
    )  # fmt: skip
    cashier = make_user(username="e2e-cashier", display_name="收银员小刘")
    cashier.groups.add(Group.objects.get(name=CASHIER))
    MembershipFactory(user=cashier, organisation=shop.operator, role=Membership.Role.STAFF)
    honey = SkuFactory(
        product=ProductFactory(seller=OrganisationFactory(name="蜂业合作社"), title="刺槐蜂蜜",
                               status=ProductStatus.ON_SALE),
        price="68.00", stock=10, outer_id="H-500", barcode="6901234567892",
    )  # fmt: skip
    millet = SkuFactory(
        product=ProductFactory(seller=OrganisationFactory(name="小米合作社"), title="黄小米",
                               status=ProductStatus.ON_SALE),
        price="49.90", stock=10, outer_id="M-2500", spec_text="2.5kg",
    )  # fmt: skip
    for sku in (honey, millet):
        stock_consign(sku_id=sku.pk, location=shelf, quantity=5, by=cashier)
    return {"shop": shop, "honey": honey, "millet": millet}


def test_a_cashier_sells_two_merchants_goods_and_prints_the_receipt(page, counter) -> None:
    page.set_viewport_size(TABLET)
    page.goto("/login/?next=/shop-counter/")
    page.fill("#username", "e2e-cashier")
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/shop-counter/$"))

    page.click("#shift-open-form button[type=submit]")
    expect(page.locator("#counter-work")).to_be_visible()
    page.fill("#scan", "6901234567892")
    page.press("#scan", "Enter")
    expect(page.locator("#basket tr[data-sku-id]")).to_have_count(1)
    page.click('.shelf-item[data-outer-id="M-2500"]')
    expect(page.locator("#basket tr[data-sku-id]")).to_have_count(2)
    expect(page.locator("#quote-total")).to_have_text("¥117.90")

    page.click("#pay-cash")
    receipt = page.locator("#receipt")
    expect(receipt).to_be_visible()
    expect(page.locator("#receipt-total")).to_have_text("¥117.90")
    expect(receipt).to_contain_text("蜂业合作社")
    expect(receipt).to_contain_text("小米合作社")
    number = page.locator("#receipt-number").inner_text()
    assert number.startswith("SP")

    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#print-receipt")
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    expect(page.locator("#receipt")).to_be_visible()
    expect(page.locator("#app-header")).to_be_hidden()
    expect(page.locator("#pay-cash")).to_be_hidden()
    width = page.evaluate("document.querySelector('#receipt').getBoundingClientRect().width")
    assert width <= 80 / 25.4 * 96  # fits 80 mm paper (CSS px at 96 per inch)
    assert page.pdf(width="80mm").startswith(b"%PDF")

    orders = Order.objects.order_by("id")
    assert [(o.seller.name, o.source_kind, o.status, str(o.paid_amount)) for o in orders] == [
        ("蜂业合作社", "offline_shop", "completed", "68.00"),
        ("小米合作社", "offline_shop", "completed", "49.90"),
    ]
    assert sorted(LocationStock.objects.values_list("quantity", flat=True)) == [4, 4]
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
