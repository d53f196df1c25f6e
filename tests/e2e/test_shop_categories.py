"""The storefront's category chips filter the grid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.catalog.models import ProductStatus
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_category_chips_filter_the_grid(page) -> None:
    honey, millet = CategoryFactory(name="蜂蜜"), CategoryFactory(name="小米")
    for title, category in (("刺槐蜂蜜", honey), ("荆条蜂蜜", honey), ("黄小米", millet)):
        SkuFactory(
            product=ProductFactory(title=title, category=category, status=ProductStatus.ON_SALE)
        )
    page.goto("/shop/")
    chips = page.locator("#shop-categories .chip")
    expect(chips).to_have_text(["全部", "蜂蜜", "小米"])
    expect(page.locator("#shop-grid .shop-card")).to_have_count(3)
    chips.nth(2).click()
    expect(page.locator("#shop-grid .shop-card .title")).to_have_text(["黄小米"])
    expect(chips.nth(2)).to_have_attribute("aria-pressed", "true")
    chips.nth(0).click()
    expect(page.locator("#shop-grid .shop-card")).to_have_count(3)
