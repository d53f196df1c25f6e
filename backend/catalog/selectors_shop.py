"""Reads for the public storefront: on-sale products only, no stock figures, no drafts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from backend.catalog.models import (
    Category,
    ImageVariant,
    Product,
    ProductImage,
    ProductStatus,
    ProductVideo,
    Sku,
)
from backend.common.errors import NotFound

# At or below this many units a SKU shows as "low" (the exact stock stays private).
LOW_STOCK = 5


def stock_state(stock: int) -> str:
    if stock <= 0:
        return "out"
    return "low" if stock <= LOW_STOCK else "in_stock"


def _images_with(variant: str) -> Prefetch[Any]:
    """Images in order, each carrying the file of the one variant the storefront shows
    (read in the images' own query: one query for images and variants together)."""
    shown = ImageVariant.objects.filter(image_id=OuterRef("pk"), spec_name=variant)
    return Prefetch(
        "images",
        queryset=ProductImage.objects.order_by("position", "id").annotate(
            variant_file=Subquery(shown.values("file")[:1])
        ),
    )


def _variant_url(image: Any) -> str | None:
    if image.status != ProductImage.Status.READY:
        return None
    return thumbnail_url(image.variant_file)


def thumbnail_file(product_id: Any) -> Subquery:
    """The file name of a product's thumbnail (its first processed image), as a subquery
    for lists of other apps: `annotate(thumb=thumbnail_file(OuterRef("product_id")))`."""
    variants = ImageVariant.objects.filter(
        image__product_id=product_id,
        image__status=ProductImage.Status.READY,
        spec_name="thumbnail",
    ).order_by("image__position", "image__id")
    return Subquery(variants.values("file")[:1])


def thumbnail_url(name: str | None) -> str | None:
    return ImageVariant._meta.get_field("file").storage.url(name) if name else None


def shop_products(*, q: str | None = None, category_id: int | None = None) -> QuerySet[Product]:
    rows = Product.objects.filter(status=ProductStatus.ON_SALE)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(brand__name__icontains=q))
    if category_id:
        rows = rows.filter(category_id=category_id)
    return (
        rows.select_related("seller", "brand")
        .annotate(price_min=Min("skus__price", filter=Q(skus__is_active=True)))
        .prefetch_related(_images_with("thumbnail"))
        .order_by("-updated_at", "-id")
    )


def shop_product_item(product: Any) -> dict[str, Any]:
    """The main image is the first one; until it is processed the card shows no picture."""
    images = list(product.images.all())
    return {
        "id": product.pk,
        "title": product.title,
        "brand_name": product.brand.name if product.brand else None,
        "seller_name": product.seller.name,
        "price_min": product.price_min,
        "thumbnail_url": _variant_url(images[0]) if images else None,
    }


def shop_product_detail(*, product_id: int) -> dict[str, Any]:
    product = (
        Product.objects.filter(pk=product_id, status=ProductStatus.ON_SALE)
        .select_related("seller", "brand", "category")
        .prefetch_related(
            Prefetch("skus", queryset=Sku.objects.filter(is_active=True).order_by("price", "id")),
            _images_with("square_main"),
            Prefetch("videos", queryset=ProductVideo.objects.order_by("-created_at", "-id")),
        )
        .first()
    )
    if product is None:
        raise NotFound()
    urls = [_variant_url(image) for image in product.images.all()]
    return {
        "id": product.pk,
        "title": product.title,
        "brand_name": product.brand.name if product.brand else None,
        "category_name": product.category.name,
        "seller_name": product.seller.name,
        "description": product.description,
        "images": [url for url in urls if url],
        "videos": [
            {"title": v.title, "url": v.file.url, "duration_s": round(v.duration_s, 1)}
            for v in product.videos.all()
        ],
        "skus": [
            {
                "id": sku.pk,
                "spec_text": sku.spec_text,
                "price": sku.price,
                "list_price": sku.list_price,
                "stock_state": stock_state(sku.stock),
            }
            for sku in product.skus.all()
        ],
    }


def shop_categories() -> list[dict[str, Any]]:
    """Categories with something on sale, with how many products each has."""
    rows = (
        Category.objects.filter(product__status=ProductStatus.ON_SALE)
        .annotate(products=Count("product", distinct=True))
        .order_by("id")
    )
    return [{"id": c.pk, "name": c.name, "products": c.products} for c in rows]
