"""The public storefront (/api/v1/shop/...): anonymous visitors browse on-sale products."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backend.catalog.selectors_shop import (
    shop_categories,
    shop_product_detail,
    shop_product_item,
    shop_products,
)
from backend.common.money import Money
from backend.common.pagination import LimitOffset, ShapedPage

router = Router(tags=["shop"])


class ShopFilters(Schema):
    q: str | None = Field(None, max_length=60)
    category_id: int | None = None


class ShopProductItem(Schema):
    id: int
    title: str
    brand_name: str | None
    seller_name: str
    price_min: Money | None
    thumbnail_url: str | None


class ShopSku(Schema):
    id: int
    spec_text: str
    price: Money
    list_price: Money | None
    stock_state: str = Field(..., description="in_stock, low or out; the count stays private")


class ShopProduct(Schema):
    id: int
    title: str
    brand_name: str | None
    category_name: str
    seller_name: str
    description: str
    images: list[str] = Field(..., description="square_main variants of the processed images")
    skus: list[ShopSku]


@router.get("/products", response=list[ShopProductItem], auth=None)
@paginate(LimitOffset)
def shop_products_list(request: HttpRequest, filters: Query[ShopFilters]) -> Any:
    return ShapedPage(shop_products(**filters.dict()), shop_product_item)


@router.get("/products/{product_id}", response=ShopProduct, auth=None)
def shop_product_get(request: HttpRequest, product_id: int) -> Any:
    return shop_product_detail(product_id=product_id)


class ShopCategory(Schema):
    id: int
    name: str
    products: int


@router.get("/categories", response=list[ShopCategory], auth=None)
def shop_categories_list(request: HttpRequest) -> Any:
    return shop_categories()
