"""In the browser, at phone width: the streamer launches a coupon and a flash sale from the
studio console during the stream and watches their figures move as viewers claim; a buyer
spends a claimed coupon in the /shop/ cart."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from backend.live.models import LineupItem
from backend.orders.models import Order
from backend.promotions import gate
from backend.promotions.models import Coupon, FlashSale
from backend.promotions.services_coupons import coupon_claim
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.factories.records import session_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_console_launches_a_coupon_and_a_flash_sale_and_sees_them_move(page) -> None:
    streamer = UserFactory(roles=[Role.STREAMER], username="e2e-promo-streamer")
    session = session_held(streamer=streamer, started=timezone.now(), state="live")
    product = ProductFactory(title="沁水刺槐蜂蜜", status=ProductStatus.ON_SALE)
    sku = SkuFactory(product=product, price="68.00", stock=10)
    LineupItem.objects.create(session=session, sku=sku, live_price="59.00", state="listed")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.fill("#username", streamer.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/studio/$"))
    page.goto(f"/studio/#s/{session.pk}")
    coupon_form = page.locator("#coupon-form")
    coupon_form.locator("[name=name]").fill("直播专享 满 50 减 8")
    coupon_form.locator("[name=off]").fill("8")
    coupon_form.locator("[name=threshold]").fill("50")
    coupon_form.locator("[name=total]").fill("20")
    page.click("#coupon-launch")
    coupon = page.locator("#promo-coupons li").first
    expect(coupon).to_contain_text("已领 0/20")
    coupon_claim(user=UserFactory(username="viewer1"), coupon_id=Coupon.objects.get().pk)
    expect(coupon).to_contain_text("已领 1/20", timeout=12000)

    flash_form = page.locator("#flash-form")
    flash_form.locator("[name=sku_id]").fill(str(sku.pk))
    flash_form.locator("[name=price]").fill("39.90")
    flash_form.locator("[name=quantity]").fill("5")
    page.click("#flash-launch")
    expect(page.locator("#promo-flashes li").first).to_contain_text("已售 0/5")
    sale = FlashSale.objects.get()
    assert (str(sale.price), sale.quantity, sale.session_id) == ("39.90", 5, session.pk)
    # Ended from the console, after a confirmation: the gate turns the next buyer away.
    flash = page.locator("#promo-flashes li").first
    flash.locator("[data-action=stop]").click()
    page.click("#confirm-ok")
    expect(flash.locator("[data-action=stop]")).to_have_count(0)
    sale.refresh_from_db()
    assert (sale.ends_at <= timezone.now(), gate.closed(sale_id=sale.pk)) == (True, "ended")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_the_cart_spends_a_claimed_coupon_through_the_promotions_checkout(
    page, payment_sandbox
) -> None:
    seller_product = ProductFactory(title="端氏黄小米", status=ProductStatus.ON_SALE)
    sku = SkuFactory(product=seller_product, spec_text="2.5kg", price="49.90", stock=20)
    buyer = UserFactory(roles=[Role.BUYER], username="e2e-coupon-buyer")
    now = timezone.now()
    coupon = Coupon.objects.create(
        name="满 90 减 10", kind="amount", amount_off="10.00", threshold="90.00",
        total_quantity=5, claim_starts_at=now, claim_ends_at=now + timedelta(hours=1),
        valid_until=now + timedelta(days=1), created_by=buyer)  # fmt: skip
    coupon_claim(user=buyer, coupon_id=coupon.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.fill("#username", buyer.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/shop/$"))
    page.goto(f"/shop/product/?id={seller_product.pk}")
    page.click(f'#sku-options [data-sku-id="{sku.pk}"]')
    page.fill("#quantity", "2")
    page.click("#buy-now")
    page.wait_for_url(re.compile(r"/shop/cart/$"))
    page.select_option("#coupon", label="满 90 减 10")
    page.fill("#consignee-name", "张女士")
    page.fill("#consignee-phone", "13912345678")
    page.fill("#consignee-address", "山西省晋城市沁水县端氏镇示例路 8 号")
    page.click("#checkout-submit")
    page.wait_for_url(re.compile(rf"^{re.escape(payment_sandbox)}/pay/"))
    expect(page.locator("#pay-amount")).to_have_text("89.80")  # 99.80 less the coupon
    order = Order.objects.get()
    assert (str(order.discount_amount), order.discounts[0]["source"].startswith("coupon:")) == (
        "10.00",
        True,
    )
