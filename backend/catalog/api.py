"""Catalogue endpoints (/api/v1/catalog/...): thin; access gate, then a service."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backend.accounts.auth import request_user
from backend.catalog import services, services_images, services_stock
from backend.catalog.access import (
    access_brand,
    access_product,
    access_product_for_status,
    access_seller,
    access_sku,
    products_visible_to,
    seller_ids_of,
)
from backend.catalog.models import Brand, Category, ImageSpec, PackagingStandard
from backend.catalog.schemas import (
    BrandOut,
    ImageOut,
    ImageSpecIn,
    ImageSpecOut,
    NamedOut,
    ProductIn,
    ProductListItem,
    ProductOut,
    ProductPatch,
    ReorderIn,
    SkuIn,
    SkuOut,
    SkuPatch,
    StandardOut,
    StatusIn,
    StockEntryOut,
    StockIn,
)
from backend.catalog.selectors import (
    image_out,
    product_detail,
    product_list_item,
    products_filtered,
    sku_ledger,
)
from backend.common.pagination import LimitOffset, ShapedPage

router = Router(tags=["catalog"])


class ProductFilters(Schema):
    q: str | None = None
    status: str | None = None
    category_id: int | None = None
    brand_id: int | None = None
    township_id: int | None = None
    supply_chain: bool | None = None


@router.get("/products", response=list[ProductListItem])
@paginate(LimitOffset)
def products_list(request: HttpRequest, filters: Query[ProductFilters]) -> Any:
    rows = products_filtered(base=products_visible_to(user=request_user(request)), **filters.dict())
    return ShapedPage(rows, product_list_item)


@router.post("/products", response={201: ProductOut})
def products_create(request: HttpRequest, payload: ProductIn) -> Status[Any]:
    user = request_user(request)
    seller_id = access_seller(user=user, seller_id=payload.seller_id)
    access_brand(user=user, brand_id=payload.brand_id)
    product = services.product_create(
        seller_id=seller_id,
        by=user,
        skus=[sku.dict() for sku in payload.skus],
        **payload.dict(exclude={"seller_id", "skus"}),
    )
    return Status(201, product_detail(product_id=product.pk))


@router.get("/products/{product_id}", response=ProductOut)
def products_get(request: HttpRequest, product_id: int) -> Any:
    access_product(user=request_user(request), product_id=product_id)
    return product_detail(product_id=product_id)


@router.patch("/products/{product_id}", response=ProductOut)
def products_update(request: HttpRequest, product_id: int, payload: ProductPatch) -> Any:
    user = request_user(request)
    product = access_product(user=user, product_id=product_id, for_write=True)
    changes = payload.dict(exclude_unset=True)
    if changes.get("brand_id", product.brand_id) != product.brand_id:
        access_brand(user=user, brand_id=changes["brand_id"])
    services.product_update(product=product, by=user, changes=changes)
    return product_detail(product_id=product_id)


@router.post("/products/{product_id}/status", response=ProductOut)
def products_set_status(request: HttpRequest, product_id: int, payload: StatusIn) -> Any:
    user = request_user(request)
    product = access_product_for_status(user=user, product_id=product_id, status=payload.status)
    services.product_set_status(product=product, status=payload.status, by=user)
    return product_detail(product_id=product_id)


@router.post("/products/{product_id}/skus", response={201: SkuOut})
def skus_create(request: HttpRequest, product_id: int, payload: SkuIn) -> Status[Any]:
    user = request_user(request)
    product = access_product(user=user, product_id=product_id, for_write=True)
    return Status(201, services.sku_create(product=product, by=user, **payload.dict()))


@router.patch("/skus/{sku_id}", response=SkuOut)
def skus_update(request: HttpRequest, sku_id: int, payload: SkuPatch) -> Any:
    user = request_user(request)
    sku = access_sku(user=user, sku_id=sku_id, for_write=True)
    return services.sku_update(sku=sku, by=user, changes=payload.dict(exclude_unset=True))


@router.post("/skus/{sku_id}/stock", response=SkuOut)
def skus_stock(request: HttpRequest, sku_id: int, payload: StockIn) -> Any:
    user = request_user(request)
    sku = access_sku(user=user, sku_id=sku_id, for_write=True)
    if payload.set_to is not None:
        services_stock.stock_set(
            sku_id=sku.pk, stock=payload.set_to, reason=payload.reason, by=user, note=payload.note
        )
    else:
        services_stock.stock_change(
            sku_id=sku.pk,
            delta=payload.delta or 0,
            reason=payload.reason,
            by=user,
            note=payload.note,
        )
    sku.refresh_from_db()
    return sku


@router.get("/skus/{sku_id}/ledger", response=list[StockEntryOut])
def skus_ledger(request: HttpRequest, sku_id: int) -> Any:
    sku = access_sku(user=request_user(request), sku_id=sku_id)
    return sku_ledger(sku_id=sku.pk)


@router.post("/products/{product_id}/images", response={201: ImageOut})
def images_upload(request: HttpRequest, product_id: int, file: File[UploadedFile]) -> Status[Any]:
    product = access_product(user=request_user(request), product_id=product_id, for_write=True)
    data, filename = services_images.image_upload_read(file=file)
    image = services_images.image_add(product=product, data=data, filename=filename)
    return Status(201, image_out(image))


@router.put("/products/{product_id}/images/order", response=list[ImageOut])
def images_reorder(request: HttpRequest, product_id: int, payload: ReorderIn) -> Any:
    product = access_product(user=request_user(request), product_id=product_id, for_write=True)
    return [
        image_out(i)
        for i in services_images.images_reorder(product=product, image_ids=payload.image_ids)
    ]


@router.delete("/products/{product_id}/images/{image_id}", response={204: None})
def images_delete(request: HttpRequest, product_id: int, image_id: int) -> Status[None]:
    product = access_product(user=request_user(request), product_id=product_id, for_write=True)
    services_images.image_delete(product=product, image_id=image_id)
    return Status(204, None)


@router.get("/brands", response=list[BrandOut])
def brands_list(request: HttpRequest) -> Any:
    request_user(request)
    return Brand.objects.all()


@router.get("/categories", response=list[NamedOut])
def categories_list(request: HttpRequest) -> Any:
    request_user(request)
    return Category.objects.all()


@router.get("/packaging-standards", response=list[StandardOut])
def standards_list(request: HttpRequest) -> Any:
    request_user(request)
    return PackagingStandard.objects.filter(is_active=True)


@router.get("/image-specs", response=list[ImageSpecOut])
def image_specs_list(request: HttpRequest) -> Any:
    user = request_user(request)
    return ImageSpec.objects.filter(
        Q(seller__isnull=True) | Q(seller_id__in=seller_ids_of(user=user))
    )


@router.put("/image-specs/{seller_id}/{name}", response=ImageSpecOut)
def image_specs_override(
    request: HttpRequest, seller_id: int, name: str, payload: ImageSpecIn
) -> Any:
    """A seller's own size for one variant (e.g. a bigger Taobao main image)."""
    user = request_user(request)
    access_seller(user=user, seller_id=seller_id)
    return services_images.image_spec_override(
        seller_id=seller_id,
        name=name,
        width=payload.width,
        height=payload.height,
        max_bytes=payload.max_bytes,
    )
