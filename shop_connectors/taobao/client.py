"""Taobao client: one method per operation of the shared interface."""

from __future__ import annotations

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
    Receiver,
    RemoteCategory,
    Shipment,
    TaobaoMapping,
    Token,
    cst_parse,
    yuan,
)
from shop_connectors.taobao.requestor import TaobaoRequestor
from shop_connectors.windows import dedupe, pages_backwards, pages_forward, slice_windows
from shop_connectors.wire import (
    JsonDict,
    after_sale_status,
    item_remote_id,
    nested_list,
    order_status,
    reconciled,
    shipment_landed,
)

STATUS = {
    "TRADE_NO_CREATE_PAY": OrderStatus.AWAITING_PAYMENT,
    "WAIT_BUYER_PAY": OrderStatus.AWAITING_PAYMENT,
    "WAIT_SELLER_SEND_GOODS": OrderStatus.AWAITING_SHIPMENT,
    "SELLER_CONSIGNED_PART": OrderStatus.AWAITING_SHIPMENT,
    "WAIT_BUYER_CONFIRM_GOODS": OrderStatus.SHIPPED,
    "TRADE_BUYER_SIGNED": OrderStatus.SHIPPED,
    "TRADE_FINISHED": OrderStatus.COMPLETED,
    "TRADE_CLOSED": OrderStatus.REFUNDED,
    "TRADE_CLOSED_BY_TAOBAO": OrderStatus.CANCELLED,
}
REFUND_STATUS = {
    "WAIT_SELLER_AGREE": AfterSaleStatus.OPEN,
    "WAIT_BUYER_RETURN_GOODS": AfterSaleStatus.OPEN,
    "WAIT_SELLER_CONFIRM_GOODS": AfterSaleStatus.OPEN,
    "SELLER_REFUSE_BUYER": AfterSaleStatus.OPEN,
    "SUCCESS": AfterSaleStatus.REFUNDED,
    "CLOSED": AfterSaleStatus.CLOSED,
}
REFUND_FIELDS = "refund_id,tid,oid,status,refund_fee,has_good_return,reason,modified"
TRADE_FIELDS = "tid,status,payment,created,modified,orders"
FULL_FIELDS = (
    TRADE_FIELDS + ",receiver_name,receiver_mobile,receiver_state,receiver_city,"
    "receiver_district,receiver_address"
)
ITEM_FIELDS = "num_iid,title,outer_id,approve_status,num,price,sku"
SKU_BATCH = 20  # taobao.skus.quantity.update takes at most 20 SKUs


class TaobaoClient:
    platform = "taobao"

    def __init__(
        self,
        requestor: TaobaoRequestor,
        *,
        max_window: timedelta = timedelta(minutes=30),
        overlap: timedelta = timedelta(seconds=1),
        page_size: int = 100,
    ) -> None:
        if max_window > timedelta(days=1) or not 1 <= page_size <= 100:
            raise ValueError("TOP allows windows of at most 1 day and pages of 1-100")
        self.requestor = requestor
        self.max_window = max_window
        self.overlap = overlap
        self.page_size = page_size

    # OAuth -----------------------------------------------------------------------------
    def authorize_url(self, *, state: str) -> str:
        app = self.requestor.app
        query = {
            "response_type": "code",
            "client_id": app.app_key,
            "redirect_uri": app.redirect_uri,
            "state": state,
            "view": "web",
        }
        return f"{self.requestor.endpoints.authorize}?{urlencode(query)}"

    def token_exchange(self, *, code: str) -> Token:
        body = self.requestor.oauth_token({"grant_type": "authorization_code", "code": code})
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
            refresh_expires_at=now + timedelta(seconds=int(body.get("re_expires_in", 0))),
            shop_id=str(body.get("taobao_user_id", "")),
            shop_name=str(body.get("taobao_user_nick", "")),
        )
        self.requestor.access_token = token.access_token
        return token

    # Items -------------------------------------------------------------------------------
    def item_publish(self, *, item: Item) -> Item:
        mapping = _mapping(item)
        params: dict[str, object] = {
            "num": item.stock,
            "price": item.price,
            "type": "fixed",
            "stuff_status": mapping.stuff_status,
            "title": item.title,
            "desc": item.description,
            "cid": mapping.cid,
            "props": mapping.props or None,
            "postage_id": mapping.postage_id,
            "location.state": mapping.location_state,
            "location.city": mapping.location_city,
            "outer_id": item.outer_id,
            "sku_properties": ",".join(mapping.sku_properties[s.outer_id] for s in item.skus),
            "sku_quantities": ",".join(str(s.stock) for s in item.skus),
            "sku_prices": ",".join(str(yuan(s.price)) for s in item.skus),
            "sku_outer_ids": ",".join(s.outer_id for s in item.skus),
        }

        def add() -> Item:
            payload = self.requestor.call("taobao.item.add", params, idempotent=False)
            return replace(item, remote_id=str(payload["item"]["num_iid"]))

        def lookup() -> Item | None:
            found = self.item_find(outer_id=item.outer_id)
            return None if found is None else replace(item, remote_id=found.remote_id)

        return reconciled(add, lookup)

    def item_update(self, *, item: Item) -> None:
        params = {"num_iid": _remote(item), "title": item.title, "desc": item.description}
        self.requestor.call("taobao.item.update", params, idempotent=True)

    def sku_prices_set(self, *, item: Item, prices: Mapping[str, Decimal]) -> None:
        mapping = _mapping(item)
        for outer_id, price in prices.items():
            params = {
                "num_iid": _remote(item),
                "properties": mapping.sku_properties[outer_id],
                "price": yuan(price),
            }
            self.requestor.call("taobao.item.sku.price.update", params, idempotent=True)

    def sku_stocks_set(self, *, item: Item, stocks: Mapping[str, int]) -> None:
        pairs = list(stocks.items())
        if len(pairs) == 1:
            outer_id, quantity = pairs[0]
            params = {"num_iid": _remote(item), "outer_id": outer_id, "quantity": quantity}
            self.requestor.call(
                "taobao.item.quantity.update", {**params, "type": 1}, idempotent=True
            )
            return
        for start in range(0, len(pairs), SKU_BATCH):
            chunk = pairs[start : start + SKU_BATCH]
            params = {
                "num_iid": _remote(item),
                "outerid_quantities": ";".join(f"{o}:{q}" for o, q in chunk),
                "type": 1,
            }
            self.requestor.call("taobao.skus.quantity.update", params, idempotent=True)

    def item_off_sale(self, *, item: Item) -> None:
        params = {"num_iid": _remote(item)}
        self.requestor.call("taobao.item.update.delisting", params, idempotent=True)

    def item_on_sale(self, *, item: Item) -> None:
        params = {"num_iid": _remote(item), "num": item.stock}
        self.requestor.call("taobao.item.update.listing", params, idempotent=True)

    def item_find(self, *, outer_id: str) -> ListedItem | None:
        params = {"outer_id": outer_id, "fields": ITEM_FIELDS}
        payload = self.requestor.call("taobao.items.custom.get", params, idempotent=True)
        items = nested_list(payload, "items", "item")
        return _listed(items[0]) if items else None

    def items_iter(self) -> Iterator[ListedItem]:
        size = 200

        def fetch(page: int) -> tuple[list[ListedItem], bool]:
            params = {"fields": ITEM_FIELDS, "page_no": page, "page_size": size}
            payload = self.requestor.call("taobao.items.onsale.get", params, idempotent=True)
            items = [_listed(raw) for raw in nested_list(payload, "items", "item")]
            return items, page * size < int(payload.get("total_results", 0))

        return pages_forward(fetch)

    # Orders ------------------------------------------------------------------------------
    def orders_changed(self, *, start: datetime, end: datetime) -> Iterator[Order]:
        windows = slice_windows(
            start=start, end=end, max_window=self.max_window, overlap=self.overlap
        )
        orders = (order for lower, upper in windows for order in self._window(lower, upper))
        return dedupe(orders, key=lambda order: order.remote_id)

    def _window(self, lower: datetime, upper: datetime) -> Iterator[Order]:
        def fetch(page: int) -> tuple[list[Order], int]:
            params = {
                "fields": TRADE_FIELDS,
                "start_modified": lower,
                "end_modified": upper,
                "page_no": page,
                "page_size": self.page_size,
                "use_has_next": False,
            }
            payload = self.requestor.call(
                "taobao.trades.sold.increment.get", params, idempotent=True
            )
            trades = nested_list(payload, "trades", "trade")
            return [_order(t) for t in trades], int(payload.get("total_results", 0))

        return pages_backwards(fetch, page_size=self.page_size)

    def after_sales_changed(self, *, start: datetime, end: datetime) -> Iterator[AfterSale]:
        """taobao.refunds.receive.get by modified time, windows and paging as for trades."""
        windows = slice_windows(
            start=start, end=end, max_window=self.max_window, overlap=self.overlap
        )

        def window(lower: datetime, upper: datetime) -> Iterator[AfterSale]:
            def fetch(page: int) -> tuple[list[AfterSale], int]:
                params = {
                    "fields": REFUND_FIELDS,
                    "start_modified": lower,
                    "end_modified": upper,
                    "page_no": page,
                    "page_size": self.page_size,
                    "use_has_next": False,
                }
                payload = self.requestor.call("taobao.refunds.receive.get", params, idempotent=True)
                rows = nested_list(payload, "refunds", "refund")
                return [_refund(r) for r in rows], int(payload.get("total_results", 0))

            return pages_backwards(fetch, page_size=self.page_size)

        found = (r for lower, upper in windows for r in window(lower, upper))
        return dedupe(found, key=lambda refund: refund.remote_id)

    def order_get(self, *, order_id: str) -> Order:
        params = {"tid": order_id, "fields": FULL_FIELDS}
        payload = self.requestor.call("taobao.trade.fullinfo.get", params, idempotent=True)
        return _order(payload["trade"])

    def shipment_send(self, *, shipment: Shipment) -> None:
        params = {
            "tid": shipment.order_id,
            "out_sid": shipment.waybill_no,
            "company_code": shipment.courier_code,
        }

        def send() -> bool:
            self.requestor.call("taobao.logistics.offline.send", params, idempotent=False)
            return True

        def lookup() -> bool | None:
            order = self.order_get(order_id=shipment.order_id)
            return shipment_landed(order.status)

        reconciled(send, lookup)

    def couriers_list(self) -> list[Courier]:
        params = {"fields": "id,code,name"}
        payload = self.requestor.call("taobao.logistics.companies.get", params, idempotent=True)
        companies = nested_list(payload, "logistics_companies", "logistics_company")
        return [Courier(code=str(c["code"]), name=str(c["name"])) for c in companies]

    # Categories, properties, templates ---------------------------------------------------
    def categories_list(self, *, parent_id: str = "0") -> list[RemoteCategory]:
        params = {"parent_cid": parent_id, "fields": "cid,parent_cid,name,is_parent"}
        payload = self.requestor.call("taobao.itemcats.get", params, idempotent=True)
        return [
            RemoteCategory(
                id=str(c["cid"]),
                name=str(c["name"]),
                parent_id=str(c.get("parent_cid", parent_id)),
                is_leaf=not c.get("is_parent", False),
            )
            for c in nested_list(payload, "item_cats", "item_cat")
        ]

    def category_attributes(self, *, category_id: str) -> list[CategoryAttribute]:
        params = {"cid": category_id, "fields": "pid,name,must,is_sale_prop,prop_values"}
        payload = self.requestor.call("taobao.itemprops.get", params, idempotent=True)
        return [
            CategoryAttribute(
                id=str(p["pid"]),
                name=str(p["name"]),
                required=bool(p.get("must", False)),
                sale=bool(p.get("is_sale_prop", False)),
                values=tuple(
                    AttributeValue(id=str(v["vid"]), name=str(v["name"]))
                    for v in nested_list(p, "prop_values", "prop_value")
                ),
            )
            for p in nested_list(payload, "item_props", "item_prop")
        ]

    def freight_templates(self) -> list[FreightTemplate]:
        params = {"fields": "template_id,name"}
        payload = self.requestor.call("taobao.delivery.templates.get", params, idempotent=True)
        return [
            FreightTemplate(id=str(t["template_id"]), name=str(t["name"]))
            for t in nested_list(payload, "delivery_templates", "delivery_template")
        ]


def _mapping(item: Item) -> TaobaoMapping:
    if not isinstance(item.mapping, TaobaoMapping):
        raise InvalidRequest("item has no Taobao mapping", platform="taobao")
    return item.mapping


def _remote(item: Item) -> str:
    return item_remote_id(item, platform="taobao")


def _listed(raw: JsonDict) -> ListedItem:
    skus = tuple(
        ListedSku(
            remote_id=str(s["sku_id"]),
            outer_id=str(s.get("outer_id", "")),
            price=yuan(s["price"]) if "price" in s else None,
            stock=int(s["quantity"]) if "quantity" in s else None,
        )
        for s in nested_list(raw, "skus", "sku")
    )
    return ListedItem(
        remote_id=str(raw["num_iid"]),
        outer_id=str(raw.get("outer_id", "")),
        title=str(raw.get("title", "")),
        on_sale=raw.get("approve_status") == "onsale",
        skus=skus,
    )


def _order(raw: JsonDict) -> Order:
    lines = tuple(
        OrderLine(
            remote_item_id=str(o.get("num_iid", "")),
            remote_sku_id=str(o.get("sku_id", "")),
            outer_sku_id=str(o.get("outer_sku_id", "")),
            title=str(o.get("title", "")),
            unit_price=yuan(o["price"]),
            quantity=int(o["num"]),
        )
        for o in nested_list(raw, "orders", "order")
    )
    receiver = None
    if "receiver_name" in raw:
        receiver = Receiver(
            name=str(raw["receiver_name"]),
            phone=str(raw.get("receiver_mobile", "")),
            province=str(raw.get("receiver_state", "")),
            city=str(raw.get("receiver_city", "")),
            district=str(raw.get("receiver_district", "")),
            address=str(raw.get("receiver_address", "")),
        )
    shipment = None
    for sub in nested_list(raw, "orders", "order"):
        if sub.get("invoice_no"):
            code = str(sub.get("logistics_company", ""))
            shipment = Shipment(str(raw["tid"]), code, str(sub["invoice_no"]))
            break
    return Order(
        shipment=shipment,
        remote_id=str(raw["tid"]),
        status=order_status(
            STATUS, str(raw["status"]), platform="taobao", order_id=str(raw["tid"])
        ),
        remote_status=str(raw["status"]),
        total=yuan(raw["payment"]),
        created_at=cst_parse(str(raw["created"])),
        modified_at=cst_parse(str(raw["modified"])),
        lines=lines,
        receiver=receiver,
    )


def _refund(raw: JsonDict) -> AfterSale:
    refund_id = str(raw["refund_id"])
    return AfterSale(
        remote_id=refund_id,
        order_id=str(raw["tid"]),
        status=after_sale_status(
            REFUND_STATUS, str(raw["status"]), platform="taobao", refund_id=refund_id
        ),
        remote_status=str(raw["status"]),
        amount=yuan(raw["refund_fee"]),
        with_return=bool(raw.get("has_good_return", False)),
        reason=str(raw.get("reason", "")),
        modified_at=cst_parse(str(raw["modified"])),
    )
