from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import model_validator

from backend.catalog.models import ProductStatus, StockEntry
from backend.common.money import Money
from backend.common.patching import not_null
from backend.common.timefmt import Timestamp


class SkuIn(Schema):
    spec: dict[str, str] = Field(default_factory=dict, description='e.g. {"规格": "500g 瓶装"}')
    spec_text: str = Field(..., min_length=1, max_length=120)
    price: Money = Field(..., gt=0)
    list_price: Money | None = None
    stock: int = Field(0, ge=0, le=10_000_000)
    weight_grams: int = Field(..., ge=1, le=1_000_000)
    volume_cm3: int = Field(0, ge=0, le=10_000_000)
    barcode: str = Field("", max_length=32, pattern=r"^\d*$")
    outer_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    packaging_standard_id: int | None = None


class SkuPatch(Schema):
    spec: dict[str, str] | None = None
    spec_text: str | None = Field(None, min_length=1, max_length=120)
    price: Money | None = Field(None, gt=0)
    list_price: Money | None = None
    weight_grams: int | None = Field(None, ge=1, le=1_000_000)
    volume_cm3: int | None = Field(None, ge=0, le=10_000_000)
    barcode: str | None = Field(None, max_length=32, pattern=r"^\d*$")
    outer_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    packaging_standard_id: int | None = None
    is_active: bool | None = None

    check_not_null = not_null(
        "spec",
        "spec_text",
        "price",
        "weight_grams",
        "volume_cm3",
        "barcode",
        "outer_id",
        "is_active",
    )


class SkuOut(Schema):
    id: int
    product_id: int
    spec: dict[str, Any]
    spec_text: str
    price: Money
    list_price: Money | None
    stock: int
    weight_grams: int
    volume_cm3: int
    barcode: str
    outer_id: str
    packaging_standard_id: int | None
    is_active: bool


class ProductIn(Schema):
    seller_id: int | None = Field(None, description="Defaults to your only organisation")
    title: str = Field(..., min_length=2, max_length=120)
    category_id: int
    brand_id: int | None = None
    origin_township_id: int | None = None
    origin_village_id: int | None = None
    description: str = Field("", max_length=20000)
    attributes: dict[str, str] = Field(default_factory=dict)
    is_supply_chain: bool = False
    needs_licence: bool = False
    licence_sc_no: str = Field("", max_length=32, pattern=r"^(SC\d{14})?$")
    licence_holder: str = Field("", max_length=128)
    licence_expires: date | None = None
    skus: list[SkuIn] = Field(default_factory=list, max_length=50)


class ProductPatch(Schema):
    title: str | None = Field(None, min_length=2, max_length=120)
    category_id: int | None = None
    brand_id: int | None = None
    origin_township_id: int | None = None
    origin_village_id: int | None = None
    description: str | None = Field(None, max_length=20000)
    attributes: dict[str, str] | None = None
    is_supply_chain: bool | None = None
    needs_licence: bool | None = None
    licence_sc_no: str | None = Field(None, max_length=32, pattern=r"^(SC\d{14})?$")
    licence_holder: str | None = Field(None, max_length=128)
    licence_expires: date | None = None

    check_not_null = not_null(
        "title",
        "category_id",
        "description",
        "attributes",
        "is_supply_chain",
        "needs_licence",
        "licence_sc_no",
        "licence_holder",
    )


class VariantOut(Schema):
    spec_name: str
    platform: str
    url: str
    width: int
    height: int
    size_bytes: int


class ImageOut(Schema):
    id: int
    position: int
    status: str
    error: str
    url: str
    width: int
    height: int
    format: str
    variants: list[VariantOut]


class ProductOut(Schema):
    id: int
    seller_id: int
    seller_name: str
    title: str
    category_id: int
    category_name: str
    brand_id: int | None
    brand_name: str | None
    origin_township_id: int | None
    origin_village_id: int | None
    description: str
    attributes: dict[str, Any]
    status: str
    is_supply_chain: bool
    needs_licence: bool
    licence_sc_no: str
    licence_holder: str
    licence_expires: date | None
    created_at: Timestamp
    updated_at: Timestamp
    skus: list[SkuOut]
    images: list[ImageOut]


class ProductListItem(Schema):
    id: int
    seller_id: int
    seller_name: str
    title: str
    category_name: str
    brand_name: str | None
    status: str
    is_supply_chain: bool
    sku_count: int
    stock_total: int
    price_min: Money | None
    main_image_url: str | None
    updated_at: Timestamp


class StatusIn(Schema):
    status: ProductStatus


class StockIn(Schema):
    """Exactly one of delta (add or take) and set_to (a stock-take)."""

    delta: int | None = Field(None, ge=-10_000_000, le=10_000_000)
    set_to: int | None = Field(None, ge=0, le=10_000_000)
    reason: StockEntry.Reason = StockEntry.Reason.ADJUSTMENT
    note: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _one_of(self) -> StockIn:
        if (self.delta is None) == (self.set_to is None):
            raise ValueError(_("Give a change of stock or a new stock level (one of the two)."))
        return self


class StockEntryOut(Schema):
    id: int
    delta: int
    stock_after: int
    reason: str
    note: str
    ref: str
    by_name: str | None
    created_at: Timestamp


class ReorderIn(Schema):
    image_ids: list[int] = Field(..., min_length=1, max_length=50)


class BrandOut(Schema):
    id: int
    name: str
    kind: str
    trademark_no: str
    trademark_class: int | None
    trademark_status: str


class NamedOut(Schema):
    id: int
    name: str


class StandardOut(Schema):
    id: int
    code: str
    name: str
    grade: str
    criteria: str
    package_spec: str
    label_text: str


class ImageSpecOut(Schema):
    name: str
    platform: str
    width: int
    height: int
    format: str
    max_bytes: int
    seller_id: int | None


class ImageSpecIn(Schema):
    width: int = Field(..., ge=16, le=4000)
    height: int = Field(..., ge=16, le=4000)
    max_bytes: int = Field(..., ge=10_000, le=20_000_000)
