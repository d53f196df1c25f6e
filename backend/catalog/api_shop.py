"""The public storefront (/api/v1/shop/...): anonymous visitors browse on-sale products.

The product list and detail answer from the Redis cache (shop_cache), with an ETag and a
short public Cache-Control: they are the same for every visitor and carry no stock count."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from ninja import Field, Query, Router, Schema
from pydantic import ValidationError

from backend.catalog import shop_cache
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


class ShopVideo(Schema):
    title: str
    url: str
    duration_s: float


class ShopProduct(Schema):
    id: int
    title: str
    brand_name: str | None
    category_name: str
    seller_name: str
    description: str
    images: list[str] = Field(..., description="square_main variants of the processed images")
    skus: list[ShopSku]
    videos: list[ShopVideo] = Field(..., description="clips of the product (newest first)")


class ShopProductPage(Schema):
    items: list[ShopProductItem]
    total: int
    limit: int
    offset: int


def _answer(request: HttpRequest, cached: shop_cache.CachedJson) -> HttpResponse:
    """The cached bytes, or 304 when the client holds them already."""
    headers = {
        "ETag": cached.etag,
        "Cache-Control": f"public, max-age={settings.SHOP_HTTP_MAX_AGE}",
    }
    if request.headers.get("If-None-Match") == cached.etag:
        return HttpResponse(status=304, headers=headers)
    return HttpResponse(cached.body, content_type="application/json", headers=headers)


@router.get("/products", response=ShopProductPage, auth=None)
def shop_products_list(
    request: HttpRequest, filters: Query[ShopFilters], page: Query[LimitOffset.Input]
) -> HttpResponse:
    def build() -> bytes:
        rows = ShapedPage(shop_products(**filters.dict()), shop_product_item)
        data = LimitOffset().paginate_queryset(rows, page, request)  # type: ignore[arg-type]
        return ShopProductPage.model_validate(data).model_dump_json().encode()

    params = {**filters.dict(), **page.dict()}
    return _answer(request, shop_cache.products_json(params=params, build=build))


@router.get("/products/{product_id}", response=ShopProduct, auth=None)
def shop_product_get(request: HttpRequest, product_id: int) -> HttpResponse:
    def build() -> bytes:
        data = shop_product_detail(product_id=product_id)
        return ShopProduct.model_validate(data).model_dump_json().encode()

    return _answer(request, shop_cache.product_json(product_id=product_id, build=build))


# Early answers (declare.py): a crowd opening the same card or list page is answered from
# the cache before sessions, sign-in and routing. A miss, or a query the schemas refuse,
# goes on to the views above, which build, store and validate as usual.
SHOP_PRODUCTS_PATH = r"/api/v1/shop/products"
SHOP_PRODUCT_PATH = r"/api/v1/shop/products/(?P<product_id>[0-9]{1,18})"
_LIST_PARAMS = frozenset({"q", "category_id", "limit", "offset"})


def shop_products_early(request: HttpRequest) -> HttpResponse | None:
    params = _list_params(request.META.get("QUERY_STRING", ""))
    cached = shop_cache.products_cached(params=dict(params)) if params is not None else None
    return _answer(request, cached) if cached is not None else None


@lru_cache(maxsize=512)
def _list_params(query_string: str) -> tuple[tuple[str, Any], ...] | None:
    """A list page's parameters as the view reads them, or None for a query the schemas
    refuse or this path does not take (the view answers those). Kept per query string: a
    crowd sends the same few."""
    query = QueryDict(query_string)
    if not _LIST_PARAMS.issuperset(query) or any(len(query.getlist(k)) > 1 for k in query):
        return None
    values = query.dict()
    try:
        filters = ShopFilters.model_validate(
            {k: values[k] for k in ("q", "category_id") if k in values}
        )
        page = LimitOffset.Input.model_validate(
            {k: values[k] for k in ("limit", "offset") if k in values}
        )
    except ValidationError:
        return None
    return tuple({**filters.dict(), **page.dict()}.items())


def shop_product_early(request: HttpRequest, product_id: str) -> HttpResponse | None:
    cached = shop_cache.product_cached(product_id=int(product_id))
    return _answer(request, cached) if cached is not None else None


class ShopCategory(Schema):
    id: int
    name: str
    products: int


@router.get("/categories", response=list[ShopCategory], auth=None)
def shop_categories_list(request: HttpRequest) -> Any:
    return shop_categories()
