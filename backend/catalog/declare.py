"""What the catalogue declares: grants, the merchant's products page, its APIs, codes,
the daily licence sweep and the demo goods."""

from collections.abc import Callable

from celery.schedules import crontab

from backend.accounts.roles import Role
from backend.catalog.api import router
from backend.catalog.api_shop import (
    SHOP_PRODUCT_PATH,
    SHOP_PRODUCTS_PATH,
    shop_product_early,
    shop_products_early,
)
from backend.catalog.api_shop import router as shop_router
from backend.catalog.demo import demo_catalog_load
from backend.catalog.errors import CatalogErrorCode
from backend.catalog.imaging import ImageErrorCode
from backend.common.registry import Label, Page, RoleSpec, declare

MERCHANT_DESK = (Role.MERCHANT, Role.OFFICE_STAFF, Role.PLATFORM_ADMIN)
# Operators the county allows to sell under its public and quality brands; the office gives
# this role to a merchant's user in the user admin.
BRAND_LICENSEE = "brand_licensee"


def _demo(write: Callable[[str], None]) -> None:
    write(f"Demo catalogue: {demo_catalog_load()} products created (existing ones kept).")


app = declare("catalog")
app.error_codes(CatalogErrorCode)
app.error_codes(ImageErrorCode)
app.roles(RoleSpec(BRAND_LICENSEE, Label("品牌授权经营者", "Brand licensee")))
app.grants(
    {
        Role.OFFICE_STAFF: (
            "catalog.view_all_products",
            "catalog.change_all_products",
            "catalog.recall_product",
            "catalog.add_product",
            "catalog.change_product",
            "catalog.add_brand",
            "catalog.change_brand",
            "catalog.add_packagingstandard",
            "catalog.change_packagingstandard",
            "catalog.change_imagespec",
            "catalog.use_county_brand",
        ),
        BRAND_LICENSEE: ("catalog.use_county_brand",),
        Role.MERCHANT: (
            "catalog.add_product",
            "catalog.change_product",
            "catalog.change_imagespec",
        ),
        Role.INSPECTOR: ("catalog.view_all_products", "catalog.recall_product"),
    }
)
app.pages(
    Page(
        "/merchant/products/",
        Label("商品管理", "Products"),
        template="merchant-products",
        roles=MERCHANT_DESK,
        order=200,
    ),
    Page(
        "/shop/",
        Label("逛商城", "Shop"),
        template="shop",
        roles=(Role.BUYER,),
        public=True,
        order=100,
    ),
    Page("/shop/product/", None, template="shop-product", public=True),
)
app.router("/catalog", router)
app.router("/shop", shop_router)
# Cached storefront reads, answered before the middleware (language-free JSON).
app.early("GET", SHOP_PRODUCTS_PATH, shop_products_early, localised=False)
app.early("GET", SHOP_PRODUCT_PATH, shop_product_early, localised=False)
app.beat(
    "catalog.unpublish-expired-licences",
    task="backend.catalog.tasks.licences_expired_unpublish",
    schedule=crontab(minute=5, hour=0),
)
app.demo(_demo, after=("accounts", "geo"))
