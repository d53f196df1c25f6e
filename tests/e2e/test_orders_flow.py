"""The order flow in real browsers against daphne and the payment sandbox: a buyer shops,
checks out and pays on the sandbox's cashier page; the merchant packs and ships; the buyer
sees the waybill and confirms receipt. Checkout errors are shown in the cart; office staff
see orders read-only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, Sku
from backend.orders.models import Courier, Order
from backend.orders.services import Consignee, checkout_place
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ADDRESS = "山西省晋城市沁水县端氏镇示例路 8 号"


@pytest.fixture
def couriers(db):
    """Transactional tests empty the tables the migration seeded: put SF back."""
    Courier.objects.update_or_create(
        code="SF", defaults={"name": "顺丰速运", "waybill_pattern": r"SF\d{13}|\d{12}"}
    )
    Courier.objects.update_or_create(
        code="ZTO", defaults={"name": "中通快递", "waybill_pattern": r"\d{12,15}"}
    )


@pytest.fixture
def shop(db):
    seller = OrganisationFactory(name="沁水县示例蜂业专业合作社")
    honey = ProductFactory(seller=seller, title="沁水刺槐蜂蜜", status=ProductStatus.ON_SALE)
    small = SkuFactory(product=honey, spec_text="500g 瓶装", price="68.00", stock=10)
    big = SkuFactory(product=honey, spec_text="1kg 瓶装", price="128.00", stock=3)
    millet = ProductFactory(seller=seller, title="端氏黄小米", status=ProductStatus.ON_SALE)
    SkuFactory(product=millet, spec_text="2.5kg", price="49.90", stock=20)
    ProductFactory(seller=seller, title="草稿商品不出现", status=ProductStatus.DRAFT)
    return {"seller": seller, "honey": honey, "small": small, "big": big}


@pytest.fixture
def merchant(make_user, shop):
    user = make_user(Role.MERCHANT, username="e2e-seller", display_name="李蜂农")
    MembershipFactory(user=user, organisation=shop["seller"], role=Membership.Role.OWNER)
    return user


@pytest.fixture
def buyer(make_user):
    return make_user(Role.BUYER, username="e2e-buyer", display_name="张女士")


def _login(page, username: str, landing: str) -> None:
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(f"{re.escape(landing)}$"))


def _order_status(page, text: str) -> None:
    expect(page.locator("#order-detail .order-card > .order-head .status")).to_have_text(text)


def _fill_consignee(page) -> None:
    page.fill("#consignee-name", "张女士")
    page.fill("#consignee-phone", "13912345678")
    page.fill("#consignee-address", ADDRESS)


def test_buyer_pays_in_the_sandbox_merchant_ships_buyer_sees_the_waybill(
    browser, page, daphne_server, payment_sandbox, shop, merchant, buyer, couriers
) -> None:
    page.set_viewport_size(PHONE)
    _login(page, "e2e-buyer", "/shop/")
    cards = page.locator("#shop-grid .shop-card")
    expect(cards).to_have_count(2)
    expect(page.locator("#shop-grid")).not_to_contain_text("草稿商品不出现")
    page.screenshot(path="/tmp/orders-flow-shop-phone.png", full_page=True)

    page.click(f'.shop-card[data-product-id="{shop["honey"].pk}"] a')
    page.wait_for_url(re.compile(rf"/shop/product/\?id={shop['honey'].pk}$"))
    expect(page.locator("#product-title")).to_have_text("沁水刺槐蜂蜜")
    page.click(f'#sku-options [data-sku-id="{shop["small"].pk}"]')
    expect(page.locator("#product-price")).to_contain_text("¥68.00")
    page.fill("#quantity", "2")
    page.click("#buy-now")
    page.wait_for_url(re.compile(r"/shop/cart/$"))
    expect(page.locator("#cart-lines .cart-line")).to_have_count(1)
    expect(page.locator("#cart-total")).to_have_text("合计：¥136.00")
    _fill_consignee(page)
    page.click("#checkout-submit")

    page.wait_for_url(re.compile(rf"^{re.escape(payment_sandbox)}/pay/"))
    expect(page.locator("#pay-amount")).to_have_text("136.00")
    assert Sku.objects.get(pk=shop["small"].pk).stock == 8  # reserved at checkout
    page.click("#pay-confirm")
    page.wait_for_url(re.compile(r"/shop/orders/\?.*payment_id="))
    row = page.locator("#order-list .order-row")
    expect(row).to_have_count(1)
    expect(row.locator(".status")).to_have_text("已付款", timeout=20000)  # after the notify
    result = page.locator("#payment-result")
    expect(result).to_have_attribute("data-result", "paid")
    expect(result).to_have_text("支付成功，商家将尽快发货。")
    expect(result).to_be_in_viewport()
    expect(row.locator(".goods-name")).to_have_text("沁水刺槐蜂蜜")
    order = Order.objects.get()
    assert (order.status, order.source_kind, str(order.paid_amount)) == ("paid", "direct", "136.00")
    page.screenshot(path="/tmp/orders-flow-orders-phone.png", full_page=True)

    seller_ctx = browser.new_context(base_url=daphne_server, locale="zh-CN")
    try:
        merchant_page = seller_ctx.new_page()
        merchant_page.set_default_timeout(15000)
        _login(merchant_page, "e2e-seller", "/merchant/products/")
        merchant_page.click('#main-nav a[href="/merchant/orders/"]')
        merchant_row = merchant_page.locator(f'#order-list [data-order-id="{order.pk}"]')
        expect(merchant_row).to_contain_text("139****5678")  # masked in the list
        expect(merchant_row.locator(".status")).to_have_text("已付款")
        merchant_row.locator("a").click()
        expect(merchant_page.locator("#consignee")).to_have_text("张女士 13912345678")
        expect(merchant_page.locator("#packing-list")).to_have_attribute(
            "href", f"/api/v1/orders/seller/{order.pk}/packing-list"
        )
        merchant_page.click("#pack-button")
        _order_status(merchant_page, "已打包")
        merchant_page.select_option("#ship-courier", "SF")
        merchant_page.fill("#ship-waybill", "SF1234567890123")
        merchant_page.click("#ship-submit")
        _order_status(merchant_page, "已发货")
        expect(merchant_page.locator("#ship-warnings")).to_be_hidden()
        expect(merchant_page.locator("#waybill-no")).to_have_text("SF1234567890123")
    finally:
        seller_ctx.close()

    page.goto("/shop/orders/")
    page.click(f'#order-list [data-order-id="{order.pk}"] a')
    _order_status(page, "已发货")
    expect(page.locator("#courier-name")).to_have_text("顺丰速运")
    expect(page.locator("#waybill-no")).to_have_text("SF1234567890123")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-waybill")
    expect(page.locator("#toast .toast-text")).to_have_text("已复制")
    assert page.evaluate("() => navigator.clipboard.readText()") == "SF1234567890123"
    page.click("#confirm-receipt")
    _order_status(page, "已完成")
    expect(page.locator("#confirm-receipt")).to_have_count(0)
    assert Order.objects.get().status == "completed"


def test_checkout_form_survives_the_login_redirect_and_an_error_is_shown(
    page, payment_sandbox, shop, buyer
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"/shop/product/?id={shop['honey'].pk}")  # anonymous visitors browse
    page.click(f'#sku-options [data-sku-id="{shop["big"].pk}"]')
    page.fill("#quantity", "5")  # 3 in stock
    page.click("#add-to-cart")
    expect(page.locator("#cart-link")).to_have_text("购物车（5）")
    page.click("#cart-link")
    page.wait_for_url(re.compile(r"/shop/cart/$"))
    expect(page.locator("#login-needed")).to_be_visible()
    _fill_consignee(page)
    page.fill("#remark", "周末送货")
    page.click("#checkout-submit")
    page.wait_for_url(re.compile(r"/login/\?next=%2Fshop%2Fcart%2F$"))
    page.fill("#username", "e2e-buyer")
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/shop/cart/$"))
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    # What was typed before the login is still there.
    expect(page.locator("#consignee-name")).to_have_value("张女士")
    expect(page.locator("#consignee-phone")).to_have_value("13912345678")
    expect(page.locator("#consignee-address")).to_have_value(ADDRESS)
    expect(page.locator("#remark")).to_have_value("周末送货")
    page.click("#checkout-submit")
    toast = page.locator("#toast")
    expect(toast).to_have_attribute("data-code", "stock.insufficient")
    expect(toast).to_be_in_viewport()
    expect(page.locator("#cart-lines .cart-line")).to_have_count(1)  # the cart stays
    assert page.url.endswith("/shop/cart/")
    assert Sku.objects.get(pk=shop["big"].pk).stock == 3
    assert Order.objects.count() == 0


def test_office_staff_see_orders_read_only(page, shop, merchant, buyer, make_user) -> None:
    checkout = checkout_place(
        buyer=buyer,
        idempotency_key="e2e-office-0001",
        items=[(shop["small"].pk, 1)],
        consignee=Consignee(name="张女士", phone="13912345678", address=ADDRESS),
    ).checkout
    order = checkout.orders.get()
    Order.objects.filter(pk=order.pk).update(status="paid")
    make_user(Role.OFFICE_STAFF, username="e2e-office")
    _login(page, "e2e-office", "/merchant/products/")
    page.goto("/merchant/orders/")
    expect(page.locator("#read-only")).to_be_visible()
    page.select_option("#filter-status", "paid")
    row = page.locator(f'#order-list [data-order-id="{order.pk}"]')
    expect(row).to_contain_text("139****5678")
    expect(page.locator("#export-link")).to_have_attribute(
        "href", "/api/v1/orders/seller/export.xlsx?status=paid"
    )
    row.locator("a").click()
    _order_status(page, "已付款")
    expect(page.locator("#order-actions")).to_be_hidden()
    expect(page.locator("#pack-button")).to_have_count(0)


def test_ship_warning_and_refused_refund_are_shown(
    browser, page, daphne_server, shop, merchant, buyer, couriers
) -> None:
    checkout = checkout_place(
        buyer=buyer,
        idempotency_key="e2e-refund-0001",
        items=[(shop["small"].pk, 1)],
        consignee=Consignee(name="张女士", phone="13912345678", address=ADDRESS),
    ).checkout
    order = checkout.orders.get()
    Order.objects.filter(pk=order.pk).update(status="packed")
    page.set_viewport_size(PHONE)
    _login(page, "e2e-seller", "/merchant/products/")
    page.goto(f"/merchant/orders/#order/{order.pk}")
    page.select_option("#ship-courier", "SF")
    page.fill("#ship-waybill", "ABC123456")  # not an SF number: shipped, with a warning
    page.click("#ship-submit")
    _order_status(page, "已发货")
    expect(page.locator("#ship-warnings")).to_be_visible()
    expect(page.locator("#ship-warnings li")).to_have_count(1)
    expect(page.locator("#ship-warnings")).to_contain_text("ABC123456")
    page.screenshot(path="/tmp/orders-flow-merchant-detail-phone.png", full_page=True)

    buyer_ctx = browser.new_context(base_url=daphne_server, locale="zh-CN", viewport=PHONE)
    try:
        buyer_page = buyer_ctx.new_page()
        buyer_page.set_default_timeout(15000)
        _login(buyer_page, "e2e-buyer", "/shop/")
        buyer_page.goto(f"/shop/orders/#order/{order.pk}")
        _order_status(buyer_page, "已发货")
        buyer_page.click("#refund-button")
        buyer_page.fill("#refund-reason-input", "瓶子碎了")
        buyer_page.click("#refund-submit")
        _order_status(buyer_page, "退款申请中")
        expect(buyer_page.locator("#refund-button")).to_have_count(0)

        page.reload()
        _order_status(page, "退款申请中")
        expect(page.locator("#refund-reason")).to_have_text("退款原因：瓶子碎了")
        page.fill("#reject-reason", "请提供破损照片")
        page.click("#refund-reject")
        _order_status(page, "已发货")

        buyer_page.reload()
        _order_status(buyer_page, "已发货")
        expect(buyer_page.locator("#refund-rejected")).to_have_text("商家拒绝退款：请提供破损照片")
        buyer_page.screenshot(path="/tmp/orders-flow-buyer-detail-phone.png", full_page=True)
    finally:
        buyer_ctx.close()
