"""The watch page in a real browser at 390 px: a viewer claims the room's coupon and buys
from the explained product's card, in place, choosing the product's other spec, at that
spec's live price less the coupon;
the order is a live order of that session and the payment asks for exactly that."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from backend.live.models import LineupItem
from backend.orders.models import Order
from backend.promotions.models import CouponGrant
from backend.promotions.services_coupons import coupon_create
from tests.backend.promotions.conftest import terms
from tests.factories.accounts import PASSWORD
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.factories.records import session_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_viewer_claims_a_coupon_and_buys_from_the_card_at_the_discounted_live_price(
    browser, daphne_server, payment_sandbox, make_user
) -> None:
    streamer = make_user(Role.STREAMER, username="e2e-promo-zhao")
    session = session_held(streamer=streamer, started=timezone.now() - timedelta(minutes=2),
                           state="live", title="沁水好物 秒杀专场")  # fmt: skip
    honey = ProductFactory(title="沁水刺槐蜂蜜", status=ProductStatus.ON_SALE)
    sku = SkuFactory(product=honey, spec_text="500g", price="68.00", stock=10)
    big = SkuFactory(product=honey, spec_text="1kg", price="118.00", stock=10)
    LineupItem.objects.create(session=session, sku=sku, live_price="59.00", state="explaining")
    LineupItem.objects.create(
        session=session, sku=big, live_price="109.00", position=2, state="listed"
    )
    coupon_create(by=streamer, terms=terms(name="直播专享 满 50 减 8", amount_off=Decimal("8.00"),
                                           total_quantity=5), sessions=[session])  # fmt: skip
    viewer = make_user(Role.BUYER, username="e2e-promo-liu")
    context = browser.new_context(base_url=daphne_server, locale="zh-CN",
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        login = {"username": viewer.username, "password": PASSWORD}
        assert page.request.post("/api/v1/auth/login", data=login).status == 200
        page.goto(f"/live/{session.pk}/")
        expect(page.locator("body")).to_have_attribute("data-ready", "1")
        coupon = page.locator("#watch-coupons li").first
        expect(coupon).to_contain_text("剩 5 张")
        coupon.locator("[data-action=claim]").click()
        expect(coupon).to_contain_text("剩 4 张")
        assert CouponGrant.objects.filter(user=viewer).count() == 1

        page.click("#watch-card")
        expect(page.locator("#watch-buy")).to_be_visible()
        expect(page.locator("#watch-buy-price")).to_have_text("¥59.00")
        # The SKU choice in place: the product's other spec in the bag, at its live price.
        specs = page.locator("#watch-buy-specs button")
        expect(specs).to_have_text(["500g", "1kg"])
        specs.nth(1).click()
        expect(page.locator("#watch-buy-price")).to_have_text("¥109.00")
        expect(specs.nth(1)).to_have_attribute("aria-pressed", "true")
        page.select_option("#watch-buy-coupon", label="直播专享 满 50 减 8")
        page.fill("#watch-buy-name", "刘姐")
        page.fill("#watch-buy-phone", "13912345678")
        page.fill("#watch-buy-address", "山西省晋城市沁水县端氏镇示例路 8 号")
        page.click("#watch-buy-submit")
        page.wait_for_url(re.compile(rf"^{re.escape(payment_sandbox)}/pay/"))
        expect(page.locator("#pay-amount")).to_have_text("101.00")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    order = Order.objects.get()
    line = order.lines.get()
    paid = (str(order.discount_amount), str(order.paid_amount))
    assert (order.source_kind, order.source_ref, paid) == (
        "live",
        str(session.pk),
        ("8.00", "101.00"),
    )
    assert (line.sku_id, str(line.unit_price), str(line.list_price), line.price_source) == (
        big.pk, "109.00", "118.00", f"live:{session.pk}")  # fmt: skip
