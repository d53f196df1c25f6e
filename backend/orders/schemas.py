from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from backend.common.money import Money
from backend.common.timefmt import Timestamp

PHONE = r"^1[3-9]\d{9}$"
# A path of this site, or nothing: never "//host", no backslash (browsers read it as "/"), no
# whitespace or control characters (browsers drop tabs and newlines: "/\t/host" is "//host").
SAME_SITE_PATH = r"^(?:/(?:[^/\\\s\x00-\x1f\x7f][^\\\s\x00-\x1f\x7f]*)?)?$"


class ItemIn(Schema):
    sku_id: int
    quantity: int = Field(..., ge=1, le=999)


class ConsigneeIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    phone: str = Field(..., pattern=PHONE)
    address: str = Field(..., min_length=4, max_length=200)


class CheckoutIn(Schema):
    idempotency_key: str = Field(
        ...,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_\-]+$",
        description="Client-made; the same key again returns the same checkout",
    )
    items: list[ItemIn] = Field(..., min_length=1, max_length=50)
    consignee: ConsigneeIn
    remark: str = Field("", max_length=200)
    return_url: str = Field(
        "",
        max_length=300,
        pattern=SAME_SITE_PATH,
        description="A path of this site the payment page returns to (default /shop/orders/)",
    )


class LineOut(Schema):
    sku_id: int
    product_id: int
    title: str
    spec_text: str
    outer_id: str
    unit_price: Money
    quantity: int
    line_amount: Money
    shortfall: int


class TimelineOut(Schema):
    from_status: str
    to_status: str
    note: str
    at: Timestamp


class RefundOut(Schema):
    """One refund of the order: ours (through the provider) or the platform's."""

    out_refund_no: str
    provider: str = Field(..., description="ours | platform")
    amount: Money
    status: str = Field(..., description="pending | succeeded | failed")
    reason: str
    created_at: Timestamp
    settled_at: Timestamp | None


class OrderOut(Schema):
    id: int
    number: str
    checkout_id: int
    checkout_number: str
    seller_id: int
    seller_name: str
    source_kind: str
    source_ref: str
    status: str
    consignee_name: str
    consignee_phone: str
    address: str
    township_name: str | None
    village_name: str | None
    goods_amount: Money
    discount_amount: Money
    shipping_amount: Money
    paid_amount: Money
    remark: str
    stock_shortfall: bool
    status_unknown: bool = False
    refunded_amount: Money = Decimal("0")
    courier_code: str | None
    courier_name: str | None
    waybill_no: str
    refund_reason: str
    refund_reject_reason: str
    refund_status: str | None = Field(
        None,
        description="the latest refund: pending (being paid back) | succeeded | failed; null: none",
    )
    refund_state: str = Field("none", description="none | partial | full: what went back")
    refunds: list[RefundOut] = []
    expires_at: Timestamp | None
    paid_at: Timestamp | None
    shipped_at: Timestamp | None
    created_at: Timestamp
    lines: list[LineOut]
    timeline: list[TimelineOut]


class OrderListItem(Schema):
    id: int
    number: str
    seller_name: str
    source_kind: str
    status: str
    consignee_name: str
    consignee_phone: str  # masked
    township_name: str | None
    paid_amount: Money
    item_count: int  # lines
    first_title: str
    thumbnail_url: str | None
    checkout_number: str
    waybill_no: str
    expires_at: Timestamp | None
    created_at: Timestamp
    # A marketplace order: its platform (taobao | pinduoduo | jd) and remote id.
    platform: str = ""
    remote_id: str = ""
    status_unknown: bool = False


class CheckoutOut(Schema):
    id: int
    number: str
    total_amount: Money
    pay_url: str | None
    payment_status: str | None
    orders: list[OrderOut]


class ShipIn(Schema):
    courier_code: str = Field(..., min_length=1, max_length=16)
    waybill_no: str = Field(..., min_length=6, max_length=40, pattern=r"^[A-Za-z0-9]+$")


class ShipOut(Schema):
    order: OrderOut
    warnings: list[str]


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class RefundApproveIn(Schema):
    amount: Money | None = Field(
        None, description="What to pay back (yuan); what is left of the payment when null"
    )


class CourierOut(Schema):
    code: str
    name: str
