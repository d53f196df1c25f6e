"""Shared dataclasses in our units: Decimal yuan with 2 places and timezone-aware datetimes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

#: China Standard Time; every platform's wall-clock timestamps are GMT+8.
CST = timezone(timedelta(hours=8), "Asia/Shanghai")
_CENT = Decimal("0.01")


def yuan(value: Decimal | int | str) -> Decimal:
    """Normalise to Decimal yuan with exactly two places."""
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def to_fen(value: Decimal) -> int:
    return int((yuan(value) * 100).to_integral_value())


def from_fen(value: int) -> Decimal:
    return yuan(Decimal(value) / 100)


def cst_format(moment: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss` in GMT+8, the wall-clock format of TOP and JD."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def cst_parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


class Platform(StrEnum):
    TAOBAO = "taobao"
    PINDUODUO = "pinduoduo"
    JD = "jd"


@dataclass(frozen=True)
class AppCredentials:
    app_key: str
    app_secret: str = field(repr=False)
    redirect_uri: str = ""


@dataclass(frozen=True)
class Token:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    refresh_expires_at: datetime | None
    shop_id: str
    shop_name: str = ""


@dataclass(frozen=True)
class TaobaoMapping:
    """Merchant choices for TOP: leaf category, item props and each SKU's property string."""

    cid: int
    location_state: str
    location_city: str
    sku_properties: Mapping[str, str]  # our SKU code -> "pid:vid;pid:vid"
    props: str = ""
    stuff_status: str = "new"
    postage_id: int | None = None  # the shop's freight template


@dataclass(frozen=True)
class PddMapping:
    """Merchant choices for Pinduoduo; spec ids are resolved with `pdd.goods.spec.id.get`
    unless `spec_ids` already holds them (the platform gave them when the mapping was made)."""

    cat_id: int
    cost_template_id: int
    sku_specs: Mapping[str, tuple[tuple[int, str], ...]]  # SKU code -> ((parent_spec_id, name),)
    spec_ids: Mapping[tuple[int, str], int] = field(default_factory=dict)
    images: tuple[bytes, ...] = ()  # uploaded with pdd.goods.image.upload before goods.add
    properties: tuple[tuple[int, int, str], ...] = ()  # goods_properties: (ref_pid, vid, value)
    country_id: int = 0
    shipment_limit_second: int = 172800
    sku_weight_grams: int = 500


@dataclass(frozen=True)
class JdMapping:
    """Merchant choices for JD: authorised third-level category and sale attributes per SKU."""

    category_id: int
    sku_sale_attrs: Mapping[str, tuple[tuple[int, str], ...]]  # SKU code -> ((attrId, value),)
    brand_id: int | None = None
    transport_id: int | None = None
    template_id: int | None = None
    props: tuple[tuple[int, str], ...] = ()  # ware.props: (attrId, value)


Mapping_ = TaobaoMapping | PddMapping | JdMapping


@dataclass(frozen=True)
class Sku:
    outer_id: str  # our SKU code, the key every platform can look up
    price: Decimal
    stock: int
    remote_id: str | None = None


@dataclass(frozen=True)
class Item:
    outer_id: str
    title: str
    description: str
    skus: tuple[Sku, ...]
    mapping: Mapping_
    image_urls: tuple[str, ...] = ()
    market_price: Decimal | None = None
    remote_id: str | None = None

    @property
    def price(self) -> Decimal:
        return min(sku.price for sku in self.skus)

    @property
    def stock(self) -> int:
        return sum(sku.stock for sku in self.skus)

    def sku(self, outer_id: str) -> Sku:
        for sku in self.skus:
            if sku.outer_id == outer_id:
                return sku
        raise KeyError(outer_id)


@dataclass(frozen=True)
class ListedSku:
    remote_id: str
    outer_id: str
    price: Decimal | None
    stock: int | None


@dataclass(frozen=True)
class ListedItem:
    remote_id: str
    outer_id: str
    title: str
    on_sale: bool
    skus: tuple[ListedSku, ...] = ()


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    # A remote status this client does not know (a platform added one: Taobao's
    # PAID_FORBID_CONSIGN, JD's LOCKED...). Never taken for "awaiting shipment".
    UNKNOWN = "unknown"

    @property
    def shippable(self) -> bool:
        """Only an order known to await shipment may be shipped."""
        return self is OrderStatus.AWAITING_SHIPMENT


@dataclass(frozen=True)
class Receiver:
    """As the platform returns it: masked (`张*`, `138****5678`)."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str


@dataclass(frozen=True)
class OrderLine:
    remote_item_id: str
    remote_sku_id: str
    outer_sku_id: str
    title: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class Shipment:
    order_id: str
    courier_code: str  # the platform's code (TOP company_code, PDD logistics_id, JD logiCoprId)
    waybill_no: str


@dataclass(frozen=True)
class Order:
    remote_id: str
    status: OrderStatus
    remote_status: str
    total: Decimal
    created_at: datetime
    modified_at: datetime
    lines: tuple[OrderLine, ...]
    receiver: Receiver | None = None
    # A shipped order's courier and waybill as the platform shows them (Taobao gives the
    # company's name, PDD its numeric logistics_id, JD its logisticsId).
    shipment: Shipment | None = None


class AfterSaleStatus(StrEnum):
    OPEN = "open"  # asked for, not decided
    REFUNDED = "refunded"  # the money went back
    CLOSED = "closed"  # refused or withdrawn: nothing paid back
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AfterSale:
    """A refund or a return opened on the platform for (part of) one order."""

    remote_id: str
    order_id: str
    status: AfterSaleStatus
    remote_status: str
    amount: Decimal  # yuan, 2 places
    with_return: bool
    reason: str
    modified_at: datetime


@dataclass(frozen=True)
class Courier:
    code: str
    name: str


@dataclass(frozen=True)
class RemoteCategory:
    """A node of the platform's category tree; only leaves take items."""

    id: str
    name: str
    parent_id: str
    is_leaf: bool


@dataclass(frozen=True)
class AttributeValue:
    id: str
    name: str


@dataclass(frozen=True)
class CategoryAttribute:
    """A property of a leaf category. `sale` ones vary per SKU (the spec); `required` ones
    must be filled before the platform accepts an item. `values` empty: free text."""

    id: str
    name: str
    required: bool
    sale: bool
    values: tuple[AttributeValue, ...] = ()


@dataclass(frozen=True)
class FreightTemplate:
    id: str
    name: str
