"""The stores console in a real browser, against daphne, the Celery worker and the
Pinduoduo sandbox: bind a store by OAuth on the platform's page, choose the freight template,
map a category, publish a product and watch the progress arrive over the websocket."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.stores.models import Listing, PlatformApp, Store
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory
from tests.shop_connectors.conftest import sandboxes  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pdd(sandboxes):  # noqa: F811
    box = sandboxes["pinduoduo"]
    box.control("reset")
    box.control("apps", {"app_key": "e2e-key", "app_secret": "e2e-secret"})
    box.control("shops", {"shop_id": "e2e-shop", "name": "沁水特产馆（拼多多）"})
    return box


def test_bind_map_publish_and_watch_the_progress(page, celery_worker, pdd, make_user):
    seller = OrganisationFactory(name="沁水县小米合作社")
    user = make_user(Role.MERCHANT, username="e2e-stores")
    MembershipFactory(user=user, organisation=seller, role=Membership.Role.OWNER)
    category = CategoryFactory(name="杂粮")
    product = ProductFactory(seller=seller, category=category, title="沁水黄小米", status="on_sale")
    SkuFactory(product=product, spec_text="500g", price=Decimal("19.90"), outer_id="E2E-500")
    PlatformApp.objects.create(platform="pinduoduo", name="拼多多应用", app_key="e2e-key",
                               app_secret="e2e-secret", endpoint_base=pdd.base)  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.fill("#username", "e2e-stores")
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/merchant/"))
    page.goto("/merchant/stores/")
    expect(page.locator("body")).to_have_attribute("data-ready", "1")

    page.click("#bind-start")  # to the platform's authorise page
    page.wait_for_url(re.compile(re.escape(pdd.base)))
    page.click("button")  # 授权 for the one shop offered
    page.wait_for_url(re.compile(r"/merchant/stores/\?bound=\d+"))
    store = Store.objects.get()
    expect(page.locator("#outcome")).to_be_visible()
    expect(page.locator(f"[data-store='{store.pk}']")).to_contain_text("沁水特产馆（拼多多）")

    page.click(f"[data-open='{store.pk}']")
    expect(page.locator("#freight option")).to_have_count(3)
    page.select_option("#freight", "321")
    page.click("#freight-save")
    expect(page.locator("#toast .toast-text")).to_have_text("已保存")  # told beside the button
    assert Store.objects.get().freight_template_id == "321"
    page.fill("#safety-stock", "3")
    page.fill("#share-percent", "60")
    page.select_option("#deleted-remotely", "mark")
    with page.expect_response(lambda r: r.url.endswith("/settings")) as answer:
        page.click("#settings-save")
    assert answer.value.status == 200
    saved = Store.objects.get()
    assert (saved.safety_stock, saved.share_percent, saved.deleted_remotely) == (3, 60, "mark")
    page.select_option("#map-category", str(category.pk))
    page.click("[data-remote-cat='8172']")
    page.click("[data-remote-cat='8439']")
    page.click("#mapping-save")
    expect(page.locator(f"[data-mapped='{category.pk}']")).to_contain_text("杂粮 → 五谷杂粮")
    expect(page.locator("#toast .toast-text")).to_have_text("已保存")

    page.check(f"[data-pick='{product.pk}']")
    page.click("#publish")
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=30000)
    expect(page.locator("#job-status")).to_have_text("同步完成：1/1，失败 0")
    expect(page.locator(f"[data-product='{product.pk}']")).to_have_attribute("data-state", "listed")
    assert Listing.objects.get(store=store, product=product).state == "listed"
    assert [i["outer_id"] for i in pdd.state()["items"]] == [f"QS-P{product.pk}"]
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths == [390, 390]  # the whole console fits the phone
