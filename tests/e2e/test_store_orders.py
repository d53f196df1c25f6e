"""Marketplace orders in a real browser, against daphne, the Celery worker and the Taobao
sandbox: a buyer places and pays an order on the sandbox, one import period later (the beat's
task, run by the worker) it is on the merchant's order page; the merchant packs and ships it;
the shipment is pushed back by the worker and the sandbox's own page shows the waybill."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.orders.models import Courier
from backend.stores.models import PlatformApp, Store, StoreOrder
from backend.stores.tasks import orders_import
from tests.backend.stores.conftest import map_store
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory
from tests.shop_connectors.conftest import sandboxes  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WAYBILL = "75312345678901"


@pytest.fixture
def taobao(sandboxes):  # noqa: F811
    box = sandboxes["taobao"]
    box.control("reset")
    box.control("apps", {"app_key": "e2e-key", "app_secret": "e2e-secret"})
    box.control("shops", {"shop_id": "e2e-shop", "name": "沁水特产馆（淘宝）"})
    return box


def test_sandbox_order_reaches_the_merchant_is_shipped_and_the_sandbox_shows_the_waybill(
    page, browser, celery_worker, taobao, make_user
):
    Courier.objects.update_or_create(  # transactional tests empty the seeded couriers
        code="ZTO",
        defaults={"name": "中通快递", "taobao_code": "ZTO", "waybill_pattern": r"\d{12,15}"},
    )
    seller = OrganisationFactory(name="沁水县小米合作社")
    user = make_user(Role.MERCHANT, username="e2e-store-orders")
    MembershipFactory(user=user, organisation=seller, role=Membership.Role.OWNER)
    category = CategoryFactory(name="杂粮")
    product = ProductFactory(seller=seller, category=category, title="沁水黄小米", status="on_sale")
    SkuFactory(product=product, spec_text="500g", price=Decimal("19.90"), stock=20,
               outer_id="E2E-500")  # fmt: skip
    app = PlatformApp.objects.create(
        platform="taobao", name="淘宝应用", app_key="e2e-key", app_secret="e2e-secret",
        endpoint_base=taobao.base,
    )  # fmt: skip
    token = taobao.control("tokens", {"app_key": "e2e-key", "shop_id": "e2e-shop"})
    store = Store.objects.create(
        app=app, organisation=seller, shop_id="e2e-shop", shop_name="沁水特产馆（淘宝）",
        access_token=token["access_token"], refresh_token=token["refresh_token"],
        token_expires_at=timezone.now() + timedelta(days=1),
        orders_cursor=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip
    api = Client()
    api.force_login(user)
    map_store(api, store, category.pk)
    started = api.post(f"/api/v1/stores/{store.pk}/jobs", {"kind": "publish",
                       "product_ids": [product.pk]}, "application/json")  # fmt: skip
    assert started.status_code == 201, started.content
    job_url = f"/api/v1/stores/{store.pk}/jobs/{started.json()['id']}"
    deadline = time.monotonic() + 30  # the worker runs the sync job
    while api.get(job_url).json()["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert api.get(job_url).json()["done"] == 1

    # The sandbox's simulated buyer places and pays an order.
    line = {"outer_sku_id": "E2E-500", "quantity": 2}
    remote_id = taobao.control("buyer/place", {"shop_id": "e2e-shop", "lines": [line]})["order_id"]
    taobao.control("buyer/pay", {"order_id": remote_id})
    # One import period: the beat's task, run by the worker.
    assert orders_import.delay().get(timeout=30) == 1
    order = StoreOrder.objects.get(store=store, remote_id=remote_id).order
    assert (order.status, order.paid_amount) == ("paid", Decimal("39.80"))

    page.goto("/login/")
    page.fill("#username", "e2e-store-orders")
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/merchant/"))
    page.goto("/merchant/orders/")
    page.select_option("#filter-platform", "taobao")
    page.click("#filter-submit")
    row = page.locator(f'#order-list [data-order-id="{order.pk}"]')
    expect(row).to_contain_text(f"淘宝 {remote_id}")
    row.locator("a").click()
    page.click("#pack-button")
    expect(page.locator("#order-detail .order-card > .order-head .status")).to_have_text("已打包")
    page.select_option("#ship-courier", "ZTO")
    page.fill("#ship-waybill", WAYBILL)
    page.click("#ship-submit")
    expect(page.locator("#waybill-no")).to_have_text(WAYBILL)

    # order.shipped -> the stores handler -> the push task, all in the worker.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        shipped = {o["id"]: o["shipment"] for o in taobao.state()["orders"]}
        if shipped.get(remote_id):
            break
        time.sleep(0.2)
    fact = StoreOrder.objects.get(store=store, remote_id=remote_id)
    assert shipped[remote_id] == ["ZTO", WAYBILL], (fact.push_status, fact.push_error)
    # The platform answers before the worker commits the mark: wait for that commit too.
    while time.monotonic() < deadline and fact.push_status != "sent":
        time.sleep(0.2)
        fact.refresh_from_db()
    assert fact.push_status == "sent"
    page.reload()
    expect(page.locator("#marketplace")).to_have_attribute("data-push", "sent")
    expect(page.locator("#push-status")).to_have_text("发货信息已回传平台")
    sandbox_page = browser.new_page()
    try:
        sandbox_page.goto(f"{taobao.base}/")
        expect(sandbox_page.locator("td.waybill").first).to_have_text(f"ZTO {WAYBILL}")
    finally:
        sandbox_page.close()
