from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum

from backend.catalog.models import Product, ProductImage, StockEntry
from backend.catalog.schemas import ImageOut, ProductOut, SkuOut, StockEntryOut, VariantOut


def image_out(image: ProductImage) -> ImageOut:
    return ImageOut(
        id=image.pk,
        position=image.position,
        status=image.status,
        error=image.error,
        url=image.original.url,
        width=image.width,
        height=image.height,
        format=image.format,
        variants=[
            VariantOut(
                spec_name=v.spec_name,
                platform=v.platform,
                url=v.file.url,
                width=v.width,
                height=v.height,
                size_bytes=v.size_bytes,
            )
            for v in image.variants.all()
        ],
    )


def product_detail(*, product_id: int) -> ProductOut:
    product = (
        Product.objects.select_related("seller", "category", "brand")
        .prefetch_related(
            "skus", Prefetch("images", queryset=ProductImage.objects.prefetch_related("variants"))
        )
        .get(pk=product_id)
    )
    return ProductOut(
        id=product.pk,
        seller_id=product.seller_id,
        seller_name=product.seller.name,
        title=product.title,
        category_id=product.category_id,
        category_name=product.category.name,
        brand_id=product.brand_id,
        brand_name=product.brand.name if product.brand else None,
        origin_township_id=product.origin_township_id,
        origin_village_id=product.origin_village_id,
        description=product.description,
        attributes=product.attributes,
        status=product.status,
        is_supply_chain=product.is_supply_chain,
        needs_licence=product.needs_licence,
        licence_sc_no=product.licence_sc_no,
        licence_holder=product.licence_holder,
        licence_expires=product.licence_expires,
        created_at=product.created_at,
        updated_at=product.updated_at,
        skus=[SkuOut.model_validate(sku) for sku in product.skus.all()],
        images=[image_out(image) for image in product.images.all()],
    )


def products_filtered(
    *,
    base: QuerySet[Product],
    q: str | None = None,
    status: str | None = None,
    category_id: int | None = None,
    brand_id: int | None = None,
    township_id: int | None = None,
    supply_chain: bool | None = None,
) -> QuerySet[Product]:
    rows = base
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(skus__outer_id__iexact=q) | Q(skus__barcode=q)
        ).distinct()
    if status:
        rows = rows.filter(status=status)
    if category_id:
        rows = rows.filter(category_id=category_id)
    if brand_id:
        rows = rows.filter(brand_id=brand_id)
    if township_id:
        rows = rows.filter(origin_township_id=township_id)
    if supply_chain is not None:
        rows = rows.filter(is_supply_chain=supply_chain)
    return (
        rows.select_related("seller", "category", "brand")
        .annotate(
            sku_count=Count("skus", distinct=True),
            stock_total=Sum("skus__stock"),
            price_min=Min("skus__price"),
        )
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("position").prefetch_related("variants"),
            )
        )
        .order_by("-updated_at", "-id")
    )


def product_list_item(product: Any) -> dict[str, Any]:
    images = list(product.images.all())
    return {
        "id": product.pk,
        "seller_id": product.seller_id,
        "seller_name": product.seller.name,
        "title": product.title,
        "category_name": product.category.name,
        "brand_name": product.brand.name if product.brand else None,
        "status": product.status,
        "is_supply_chain": product.is_supply_chain,
        "sku_count": product.sku_count,
        "stock_total": product.stock_total or 0,
        "price_min": product.price_min,
        "main_image_url": _list_image_url(images[0]) if images else None,
        "updated_at": product.updated_at,
    }


def _list_image_url(image: ProductImage) -> str:
    """The thumbnail once derived; the original until then."""
    for variant in image.variants.all():
        if variant.spec_name == "thumbnail":
            return str(variant.file.url)
    return str(image.original.url)


def sku_ledger(*, sku_id: int) -> list[StockEntryOut]:
    return [
        StockEntryOut(
            id=e.pk,
            delta=e.delta,
            stock_after=e.stock_after,
            reason=e.reason,
            note=e.note,
            ref=e.ref,
            by_name=(e.by.display_name or e.by.username) if e.by else None,
            created_at=e.created_at,
        )
        for e in StockEntry.objects.filter(sku_id=sku_id).select_related("by")[:500]
    ]
