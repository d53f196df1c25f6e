"""Pinduoduo client. Goods prices travel in fen; order amounts are yuan (see docs/decisions)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from shop_connectors.errors import InvalidRequest
from shop_connectors.models import (
    CST,
    AfterSale,
    AfterSaleStatus,
    AttributeValue,
    CategoryAttribute,
    Courier,
    FreightTemplate,
    Item,
    ListedItem,
    ListedSku,
    Order,
    OrderLine,
    OrderStatus,
    PddMapping,
    Receiver,
    RemoteCategory,
    Shipment,
    Token,
    cst_parse,
    from_fen,
    to_fen,
    yuan,
)
from shop_connectors.pinduoduo.requestor import PddRequestor
from shop_connectors.windows import dedupe, pages_backwards, pages_forward, slice_windows
from shop_connectors.wire import (
    JsonDict,
    after_sale_status,
    item_remote_id,
    order_status,
    reconciled,
    shipment_landed,
    sku_remote_id,
)

ORDER_STATUS = {1: OrderStatus.AWAITING_SHIPMENT, 2: OrderStatus.SHIPPED, 3: OrderStatus.COMPLETED}
NO_REFUND = 1  # refund_status: no after-sale, or it was closed
# pdd.refund.list.increment.get after_sales_status (refund_amount in fen)
AFTER_SALES_STATUS = {
    2: AfterSaleStatus.OPEN,
    3: AfterSaleStatus.OPEN,
    4: AfterSaleStatus.OPEN,
    5: AfterSaleStatus.OPEN,
    6: AfterSaleStatus.OPEN,
    7: AfterSaleStatus.OPEN,
    8: AfterSaleStatus.OPEN,
    9: AfterSaleStatus.CLOSED,
    10: AfterSaleStatus.REFUNDED,
    11: AfterSaleStatus.CLOSED,
    12: AfterSaleStatus.CLOSED,
    13: AfterSaleStatus.CLOSED,
}
REFUND_STATUS = {2: OrderStatus.REFUNDING, 3: OrderStatus.REFUNDING, 4: OrderStatus.REFUNDED}
MIN_LAG = timedelta(minutes=3)  # PDD: the end of a window stays >= 3 min behind server time


class PddClient:
    platform = "pinduoduo"

    def __init__(
        self,
        requestor: PddRequestor,
        *,
        max_window: timedelta = timedelta(minutes=30),
        overlap: timedelta = timedelta(seconds=1),
        lag: timedelta = MIN_LAG,
        page_size: int = 100,
    ) -> None:
        if max_window > timedelta(minutes=30) or lag < MIN_LAG or not 1 <= page_size <= 100:
            raise ValueError("PDD allows windows <= 30 min, lag >= 3 min, pages of 1-100")
        self.requestor = requestor
        self.max_window = max_window
        self.overlap = overlap
        self.lag = lag
        self.page_size = page_size
        self._spec_ids: dict[tuple[int, str], int] = {}
        # A job sends several items at once through one client: they need the same spec
        # values, and each must be asked of the platform once, not once per thread.
        self._spec_lock = threading.Lock()

    # OAuth -----------------------------------------------------------------------------
    def authorize_url(self, *, state: str) -> str:
        app = self.requestor.app
        query = {
            "response_type": "code",
            "client_id": app.app_key,
            "redirect_uri": app.redirect_uri,
            "state": state,
        }
        return f"{self.requestor.endpoints.authorize}?{urlencode(query)}"

    def token_exchange(self, *, code: str) -> Token:
        body = self.requestor.oauth_token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": ""}
        )
        return self._token(body)

    def token_refresh(self, *, refresh_token: str) -> Token:
        body = self.requestor.oauth_token(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        return self._token(body)

    def _token(self, body: JsonDict) -> Token:
        now = datetime.now(CST)
        token = Token(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token", "")),
            expires_at=now + timedelta(seconds=int(body["expires_in"])),
            refresh_expires_at=now
            + timedelta(seconds=int(body.get("refresh_token_expires_in", 0))),
            shop_id=str(body.get("owner_id", "")),
            shop_name=str(body.get("owner_name", "")),
        )
        self.requestor.access_token = token.access_token
        return token

    # Items -------------------------------------------------------------------------------
    def server_time(self) -> datetime:
        payload = self.requestor.call("pdd.time.get", {}, idempotent=True)
        return cst_parse(str(payload["time"]))

    def image_upload(self, *, data: bytes, content_type: str = "image/jpeg") -> str:
        encoded = base64.b64encode(data).decode("ascii")
        params = {"image": f"data:{content_type};base64,{encoded}"}
        payload = self.requestor.call("pdd.goods.image.upload", params, idempotent=True)
        return str(payload["image_url"])

    def spec_id(self, *, parent_spec_id: int, name: str) -> int:
        key = (parent_spec_id, name)
        with self._spec_lock:
            return self._spec_id_locked(key)

    def _spec_id_locked(self, key: tuple[int, str]) -> int:
        parent_spec_id, name = key
        if key not in self._spec_ids:
            params = {"parent_spec_id": parent_spec_id, "spec_name": name}
            payload = self.requestor.call("pdd.goods.spec.id.get", params, idempotent=True)
            self._spec_ids[key] = int(payload["spec_id"])
        return self._spec_ids[key]

    def item_publish(self, *, item: Item) -> Item:
        mapping = _mapping(item)
        gallery = [self.image_upload(data=image) for image in mapping.images]
        gallery += list(item.image_urls)
        skus = [
            {
                "spec_id_list": json.dumps(
                    [
                        mapping.spec_ids.get((p, n)) or self.spec_id(parent_spec_id=p, name=n)
                        for p, n in mapping.sku_specs[s.outer_id]
                    ]
                ),
                "price": to_fen(s.price),
                "multi_price": to_fen(s.price),
                "quantity": s.stock,
                "out_sku_sn": s.outer_id,
                "thumb_url": gallery[0] if gallery else "",
                "weight": mapping.sku_weight_grams,
                "limit_quantity": 999,
                "is_onsale": 1,
            }
            for s in item.skus
        ]
        params: dict[str, object] = {
            "goods_name": item.title,
            "goods_desc": item.description,
            "goods_type": 1,
            "cat_id": mapping.cat_id,
            "cost_template_id": mapping.cost_template_id,
            "country_id": mapping.country_id,
            "market_price": to_fen(_market_price(item, {})),
            "carousel_gallery": gallery,
            "detail_gallery": gallery,
            "is_folt": True,
            "is_pre_sale": False,
            "is_refundable": True,
            "second_hand": False,
            "shipment_limit_second": mapping.shipment_limit_second,
            "out_goods_id": item.outer_id,
            "sku_list": skus,
            "goods_properties": [
                {"ref_pid": pid, "vid": vid, "value": value}
                for pid, vid, value in mapping.properties
            ]
            or None,
        }

        def add() -> str:
            payload = self.requestor.call("pdd.goods.add", params, idempotent=False)
            return str(payload["goods_id"])

        def lookup() -> str | None:
            found = self.item_find(outer_id=item.outer_id)
            return None if found is None else found.remote_id

        goods_id = reconciled(add, lookup)
        listed = self.item_find(outer_id=item.outer_id)
        sku_ids = {s.outer_id: s.remote_id for s in listed.skus} if listed else {}
        new_skus = tuple(replace(s, remote_id=sku_ids.get(s.outer_id)) for s in item.skus)
        return replace(item, remote_id=goods_id, skus=new_skus)

    def item_update(self, *, item: Item) -> None:
        mapping = _mapping(item)
        params = {
            "goods_id": _remote(item),
            "goods_name": item.title,
            "goods_desc": item.description,
            "cat_id": mapping.cat_id,
            "cost_template_id": mapping.cost_template_id,
        }
        self.requestor.call("pdd.goods.information.update", params, idempotent=True)

    def sku_prices_set(self, *, item: Item, prices: Mapping[str, Decimal]) -> None:
        """One call per goods: `pdd.goods.sku.price.update` takes every SKU of it at once."""
        price_list = [
            {
                "sku_id": int(_sku_remote(item, outer_id)),
                "group_price": to_fen(price),
                "single_price": to_fen(price),
                "is_onsale": 1,
            }
            for outer_id, price in prices.items()
        ]
        params = {
            "goods_id": _remote(item),
            "market_price": to_fen(_market_price(item, prices)),
            "sku_price_list": price_list,
        }
        self.requestor.call("pdd.goods.sku.price.update", params, idempotent=True)

    def sku_stocks_set(self, *, item: Item, stocks: Mapping[str, int]) -> None:
        for outer_id, quantity in stocks.items():
            params = {
                "goods_id": _remote(item),
                "outer_id": outer_id,
                "quantity": quantity,
                "update_type": 1,
            }
            self.requestor.call("pdd.goods.quantity.update", params, idempotent=True)

    def item_off_sale(self, *, item: Item) -> None:
        params = {"goods_id": _remote(item), "is_onsale": 0}
        self.requestor.call("pdd.goods.sale.status.set", params, idempotent=True)

    def item_on_sale(self, *, item: Item) -> None:
        params = {"goods_id": _remote(item), "is_onsale": 1}
        self.requestor.call("pdd.goods.sale.status.set", params, idempotent=True)

    def item_find(self, *, outer_id: str) -> ListedItem | None:
        params = {"outer_id": outer_id, "page": 1, "page_size": 10}
        payload = self.requestor.call("pdd.goods.list.get", params, idempotent=True)
        goods = payload.get("goods_list") or []
        return _listed(goods[0]) if goods else None

    def items_iter(self) -> Iterator[ListedItem]:
        size = 100

        def fetch(page: int) -> tuple[list[ListedItem], bool]:
            params = {"page": page, "page_size": size, "is_onsale": 1}
            payload = self.requestor.call("pdd.goods.list.get", params, idempotent=True)
            goods = [_listed(raw) for raw in payload.get("goods_list") or []]
            return goods, page * size < int(payload.get("total_count", 0))

        return pages_forward(fetch)

    # Orders ------------------------------------------------------------------------------
    def orders_changed(self, *, start: datetime, end: datetime) -> Iterator[Order]:
        end = min(end, self.server_time() - self.lag)
        windows = slice_windows(
            start=start, end=end, max_window=self.max_window, overlap=self.overlap
        )
        orders = (order for lower, upper in windows for order in self._window(lower, upper))
        return dedupe(orders, key=lambda order: order.remote_id)

    def _window(self, lower: datetime, upper: datetime) -> Iterator[Order]:
        def fetch(page: int) -> tuple[list[Order], int]:
            params = {
                "start_updated_at": int(lower.timestamp()),
                "end_updated_at": int(upper.timestamp()),
                "order_status": 5,
                "refund_status": 5,
                "is_lucky_flag": 0,
                "page": page,
                "page_size": self.page_size,
                "use_has_next": False,
            }
            payload = self.requestor.call(
                "pdd.order.number.list.increment.get", params, idempotent=True
            )
            orders = [_order(raw) for raw in payload.get("order_sn_list") or []]
            return orders, int(payload.get("total_count", 0))

        return pages_backwards(fetch, page_size=self.page_size)

    def after_sales_changed(self, *, start: datetime, end: datetime) -> Iterator[AfterSale]:
        """pdd.refund.list.increment.get: ≤30 min windows by update time, paged backwards."""
        end = min(end, self.server_time() - self.lag)
        windows = slice_windows(
            start=start, end=end, max_window=self.max_window, overlap=self.overlap
        )

        def window(lower: datetime, upper: datetime) -> Iterator[AfterSale]:
            def fetch(page: int) -> tuple[list[AfterSale], int]:
                params = {
                    "start_updated_at": int(lower.timestamp()),
                    "end_updated_at": int(upper.timestamp()),
                    "after_sales_status": 1,  # all
                    "after_sales_type": 1,  # all
                    "page": page,
                    "page_size": self.page_size,
                }
                payload = self.requestor.call(
                    "pdd.refund.list.increment.get", params, idempotent=True
                )
                rows = [_refund(raw) for raw in payload.get("refund_list") or []]
                return rows, int(payload.get("total_count", 0))

            return pages_backwards(fetch, page_size=self.page_size)

        found = (r for lower, upper in windows for r in window(lower, upper))
        return dedupe(found, key=lambda refund: refund.remote_id)

    def order_get(self, *, order_id: str) -> Order:
        params = {"order_sn": order_id}
        payload = self.requestor.call("pdd.order.information.get", params, idempotent=True)
        return _order(payload["order_info"])

    def shipment_send(self, *, shipment: Shipment) -> None:
        params = {
            "order_sn": shipment.order_id,
            "logistics_id": int(shipment.courier_code),
            "tracking_number": shipment.waybill_no,
        }

        def send() -> bool:
            payload = self.requestor.call("pdd.logistics.online.send", params, idempotent=False)
            if not payload.get("is_success"):
                raise InvalidRequest("shipment refused", platform=self.platform)
            return True

        def lookup() -> bool | None:
            order = self.order_get(order_id=shipment.order_id)
            return shipment_landed(order.status)

        reconciled(send, lookup)

    def couriers_list(self) -> list[Courier]:
        payload = self.requestor.call("pdd.logistics.companies.get", {}, idempotent=True)
        return [
            Courier(code=str(c["id"]), name=str(c["logistics_company"]))
            for c in payload.get("logistics_companies") or []
            if c.get("available", 1)
        ]

    # Categories, properties, templates ---------------------------------------------------
    def categories_list(self, *, parent_id: str = "0") -> list[RemoteCategory]:
        params = {"parent_cat_id": parent_id}
        payload = self.requestor.call("pdd.goods.authorization.cats", params, idempotent=True)
        return [
            RemoteCategory(
                id=str(c["cat_id"]),
                name=str(c["cat_name"]),
                parent_id=str(c.get("parent_cat_id", parent_id)),
                is_leaf=bool(c.get("leaf", False)),
            )
            for c in payload.get("goods_cats_list") or []
        ]

    def category_attributes(self, *, category_id: str) -> list[CategoryAttribute]:
        """Sale specs (`pdd.goods.spec.get`) and the other properties (`pdd.goods.cat.rule.get`)."""
        params = {"cat_id": category_id}
        specs = self.requestor.call("pdd.goods.spec.get", params, idempotent=True)
        rule = self.requestor.call("pdd.goods.cat.rule.get", params, idempotent=True)
        sale = [
            CategoryAttribute(
                id=str(s["parent_spec_id"]),
                name=str(s["parent_spec_name"]),
                required=False,
                sale=True,
            )
            for s in specs.get("goods_spec_list") or []
        ]
        props = (rule.get("goods_properties_rule") or {}).get("properties") or []
        others = [
            CategoryAttribute(
                id=str(p["ref_pid"]),
                name=str(p["name"]),
                required=bool(p.get("required", False)),
                sale=False,
                values=tuple(
                    AttributeValue(id=str(v["vid"]), name=str(v["value"]))
                    for v in p.get("values") or []
                ),
            )
            for p in props
        ]
        return sale + others

    def freight_templates(self) -> list[FreightTemplate]:
        size = 20

        def fetch(page: int) -> tuple[list[FreightTemplate], bool]:
            params = {"page": page, "page_size": size}
            payload = self.requestor.call(
                "pdd.goods.logistics.template.get", params, idempotent=True
            )
            rows = [
                FreightTemplate(id=str(t["template_id"]), name=str(t["template_name"]))
                for t in payload.get("logistics_template_list") or []
            ]
            return rows, page * size < int(payload.get("total_count", 0))

        return list(pages_forward(fetch))


def _mapping(item: Item) -> PddMapping:
    if not isinstance(item.mapping, PddMapping):
        raise InvalidRequest("item has no Pinduoduo mapping", platform="pinduoduo")
    return item.mapping


def _remote(item: Item) -> str:
    return item_remote_id(item, platform="pinduoduo")


def _sku_remote(item: Item, outer_id: str) -> str:
    return sku_remote_id(item, outer_id, platform="pinduoduo", id_name="Pinduoduo sku_id")


def _market_price(item: Item, prices: Mapping[str, Decimal]) -> Decimal:
    """PDD requires the reference price to be at least every SKU price."""
    highest = max([*prices.values(), *(s.price for s in item.skus)])
    return max(item.market_price or highest, highest)


def _listed(raw: JsonDict) -> ListedItem:
    skus = tuple(
        ListedSku(
            remote_id=str(s["sku_id"]),
            outer_id=str(s.get("outer_id", "")),
            price=None,
            stock=int(s["sku_quantity"]) if "sku_quantity" in s else None,
        )
        for s in raw.get("sku_list") or []
    )
    return ListedItem(
        remote_id=str(raw["goods_id"]),
        outer_id=str(raw.get("outer_goods_id", "")),
        title=str(raw.get("goods_name", "")),
        on_sale=int(raw.get("is_onsale", 0)) == 1,
        skus=skus,
    )


def _order(raw: JsonDict) -> Order:
    order_id, refund_status = str(raw["order_sn"]), int(raw.get("refund_status", 1))
    if refund_status == NO_REFUND:
        status = order_status(
            ORDER_STATUS, int(raw["order_status"]), platform="pinduoduo", order_id=order_id
        )
    else:
        status = order_status(REFUND_STATUS, refund_status, platform="pinduoduo", order_id=order_id)
    lines = tuple(
        OrderLine(
            remote_item_id=str(i.get("goods_id", "")),
            remote_sku_id=str(i.get("sku_id", "")),
            outer_sku_id=str(i.get("outer_id", "")),
            title=str(i.get("goods_name", "")),
            unit_price=yuan(i["goods_price"]),
            quantity=int(i["goods_count"]),
        )
        for i in raw.get("item_list") or []
    )
    receiver = Receiver(
        name=str(raw.get("receiver_name", "")),
        phone=str(raw.get("receiver_phone", "")),
        province=str(raw.get("province", "")),
        city=str(raw.get("city", "")),
        district=str(raw.get("town", "")),
        address=str(raw.get("address", "")),
    )
    shipment = None
    if raw.get("tracking_number"):
        shipment = Shipment(order_id, str(raw.get("logistics_id", "")), str(raw["tracking_number"]))
    return Order(
        shipment=shipment,
        remote_id=str(raw["order_sn"]),
        status=status,
        remote_status=f"{raw['order_status']}/{raw.get('refund_status', 1)}",
        total=yuan(raw["pay_amount"]),
        created_at=cst_parse(str(raw["created_time"])),
        modified_at=cst_parse(str(raw["updated_at"])),
        lines=lines,
        receiver=receiver,
    )


def _refund(raw: JsonDict) -> AfterSale:
    refund_id = str(raw["id"])
    return AfterSale(
        remote_id=refund_id,
        order_id=str(raw["order_sn"]),
        status=after_sale_status(
            AFTER_SALES_STATUS,
            int(raw["after_sales_status"]),
            platform="pinduoduo",
            refund_id=refund_id,
        ),
        remote_status=str(raw["after_sales_status"]),
        amount=from_fen(int(raw["refund_amount"])),  # fen, unlike the order amounts
        with_return=int(raw.get("after_sales_type", 2)) == 3,
        reason=str(raw.get("after_sale_reason", "")),
        modified_at=cst_parse(str(raw["updated_time"])),
    )
