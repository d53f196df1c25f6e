"""Shapes of the stores API. No schema carries a secret or a token."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from backend.common.timefmt import Timestamp


class AppOut(Schema):
    id: int
    platform: str
    name: str


class BindIn(Schema):
    app_id: int
    organisation_id: int | None = None


class BindOut(Schema):
    authorize_url: str


class StoreOut(Schema):
    id: int
    platform: str
    organisation_id: int
    organisation_name: str
    shop_id: str
    shop_name: str
    status: str
    status_reason: str
    token_expires_at: Timestamp
    last_sync_at: Timestamp | None
    last_error: str
    freight_template_id: str
    freight_template_name: str
    safety_stock: int
    share_percent: int
    deleted_remotely: str
    listings: dict[str, int]
    import_window_start: Timestamp | None
    import_window_end: Timestamp | None
    import_at: Timestamp | None
    import_error: str
    import_lag_seconds: int | None


class AfterSaleOut(Schema):
    remote_id: str
    state: str
    amount: Decimal
    with_return: bool
    reason: str


class StoreOrderOut(Schema):
    id: int
    store_id: int
    platform: str
    order_id: int
    order_number: str
    remote_id: str
    remote_status: str
    status: str
    status_unknown: bool
    paid_amount: Decimal
    refunded_amount: Decimal
    waybill_no: str
    stock_shortfall: bool
    unmatched: list[dict[str, Any]]
    push_status: str
    push_error: str
    after_sales: list[AfterSaleOut]


class PauseIn(Schema):
    paused: bool


class SettingsIn(Schema):
    safety_stock: int | None = Field(None, ge=0, le=1_000_000)
    share_percent: int | None = Field(None, ge=0, le=100)
    location_state: str | None = Field(None, min_length=1, max_length=16)
    location_city: str | None = Field(None, min_length=1, max_length=16)
    deleted_remotely: Literal["republish", "mark"] | None = None


class RemoteCategoryOut(Schema):
    id: str
    name: str
    parent_id: str
    is_leaf: bool


class ValueOut(Schema):
    id: str
    name: str


class AttributeOut(Schema):
    id: str
    name: str
    required: bool
    sale: bool
    values: list[ValueOut]


class TemplateOut(Schema):
    id: str
    name: str


class FreightIn(Schema):
    template_id: str = Field(..., min_length=1, max_length=32)


class MappingIn(Schema):
    remote_parent_id: str = Field(..., min_length=1, max_length=32)
    remote_category_id: str = Field(..., min_length=1, max_length=32)
    attributes: dict[str, str] = Field(default_factory=dict)
    spec_values: dict[str, str] = Field(default_factory=dict)


class MappingOut(Schema):
    category_id: int
    category_name: str
    remote_category_id: str
    remote_category_name: str
    sale_attribute_id: str
    sale_attribute_name: str
    attributes: dict[str, dict[str, str]]
    spec_values: dict[str, str]


class ListingOut(Schema):
    product_id: int
    product_title: str
    product_status: str
    state: str
    remote_id: str
    last_error: str
    platform_message: str


class JobIn(Schema):
    kind: Literal["publish", "delist"] = "publish"
    product_ids: list[int] = Field(..., min_length=1, max_length=5000)


class JobItemOut(Schema):
    product_id: int
    status: str
    attempts: int
    write_calls: int
    error: str
    platform_message: str


class JobOut(Schema):
    id: int
    store_id: int
    kind: str
    status: str
    total: int
    done: int
    failed: int
    write_calls: int
    created_at: Timestamp
    finished_at: Timestamp | None
    failures: list[JobItemOut]


class OfficeStoreOut(Schema):
    id: int
    platform: str
    organisation_name: str
    shop_name: str
    status: str
    listed: int
    last_sync_at: Timestamp | None


class OfficeSummaryOut(Schema):
    stores: list[OfficeStoreOut]
    active_stores: int
    by_platform: dict[str, int]
