"""JD client: business parameters travel as one JSON object; prices are yuan strings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from shop_connectors.errors import InvalidRequest
from shop_connectors.jd.requestor import JdRequestor, check_result
from shop_connectors.models import (
    CST,
    AfterSale,
    AfterSaleStatus,
    AttributeValue,
    CategoryAttribute,
    Courier,
    FreightTemplate,
    Item,
    JdMapping,
    ListedItem,
    ListedSku,
    Order,
    OrderLine,
    OrderStatus,
    Receiver,
    RemoteCategory,
    Shipment,
    Token,
    cst_format,
    cst_parse,
    from_fen,
    yuan,
)
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

STATUS = {
    "WAIT_SELLER_STOCK_OUT": OrderStatus.AWAITING_SHIPMENT,
    "PAUSE": OrderStatus.AWAITING_SHIPMENT,
    "POP_ORDER_PAUSE": OrderStatus.AWAITING_SHIPMENT,
    "WAIT_GOODS_RECEIVE_CONFIRM": OrderStatus.SHIPPED,
    "FINISHED_L": OrderStatus.COMPLETED,
    "TRADE_CANCELED": OrderStatus.CANCELLED,
    "LOCKED": OrderStatus.REFUNDING,
}
ORDER_STATES = ",".join(STATUS)
ORDER_FIELDS = "orderId,orderState,orderPayment,orderStartTime,modified,itemInfoList,consigneeInfo"
UP, DOWN = 1, 2  # jingdong.ware.write.upOrDown opType
SALE_ATTRIBUTE, LEAF_LEVEL = 4, 3  # attributeType 4 = 销售属性; wares go on third-level categories


class JdClient:
    platform = "jd"

    def __init__(
        self,
        requestor: JdRequestor,
        *,
        max_window: timedelta = timedelta(days=1),
        overlap: timedelta = timedelta(seconds=1),
        page_size: int = 100,
    ) -> None:
        if max_window > timedelta(days=31) or not 1 <= page_size <= 100:
            raise ValueError("JD allows windows of at most a month and pages of 1-100")
        self.requestor = requestor
        self.max_window = max_window
        self.overlap = overlap
        self.page_size = page_size

    # OAuth -----------------------------------------------------------------------------
    def authorize_url(self, *, state: str) -> str:
        app = self.requestor.app
        query = {
            "app_key": app.app_key,
            "response_type": "code",
            "redirect_uri": app.redirect_uri,
            "state": state,
            "scope": "snsapi_base",
        }
        return f"{self.requestor.endpoints.oauth}/oauth2/to_login?{urlencode(query)}"

    def token_exchange(self, *, code: str) -> Token:
        body = self.requestor.oauth_token(
            "/oauth2/access_token", {"grant_type": "authorization_code", "code": code}
        )
        return self._token(body)

    def token_refresh(self, *, refresh_token: str) -> Token:
        body = self.requestor.oauth_token(
            "/oauth2/refresh_token",
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
        )
        return self._token(body)

    def _token(self, body: JsonDict) -> Token:
        now = datetime.now(CST)
        refresh_in = body.get("refresh_expires_in")
        token = Token(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token", "")),
            expires_at=now + timedelta(seconds=int(body["expires_in"])),
            refresh_expires_at=None
            if refresh_in is None
            else now + timedelta(seconds=int(refresh_in)),
            shop_id=str(body.get("uid", "")),
            shop_name=str(body.get("user_nick", "")),
        )
        self.requestor.access_token = token.access_token
        return token

    # Items -------------------------------------------------------------------------------
    def item_publish(self, *, item: Item) -> Item:
        mapping = _mapping(item)
        ware = {
            "title": item.title,
            "categoryId": mapping.category_id,
            "brandId": mapping.brand_id,
            "transportId": mapping.transport_id,
            "templateId": mapping.template_id,
            "wareStatus": 8,
            "outerId": item.outer_id,
            "introduction": item.description,
            "jdPrice": str(yuan(item.price)),
            "images": [{"imgUrl": url, "imgIndex": i + 1} for i, url in enumerate(item.image_urls)],
            "props": [{"attrId": a, "attrValues": [v]} for a, v in mapping.props] or None,
        }
        skus = [
            {
                "saleAttrs": [
                    {"attrId": attr, "attrValues": [value]}
                    for attr, value in mapping.sku_sale_attrs[s.outer_id]
                ],
                "jdPrice": str(yuan(s.price)),
                "stockNum": s.stock,
                "outerId": s.outer_id,
            }
            for s in item.skus
        ]
        params = {"ware": {k: v for k, v in ware.items() if v is not None}, "skus": skus}

        def add() -> dict[str, str]:
            payload = self.requestor.call("jingdong.ware.write.add", params, idempotent=False)
            created = payload["ware"]
            ids = {str(s["outerId"]): str(s["skuId"]) for s in created.get("skus") or []}
            return {"": str(created["wareId"]), **ids}

        def lookup() -> dict[str, str] | None:
            return self._sku_ids(out_id=item.skus[0].outer_id)

        ids = reconciled(add, lookup)
        skus_out = tuple(replace(s, remote_id=ids.get(s.outer_id)) for s in item.skus)
        return replace(item, remote_id=ids[""], skus=skus_out)

    def _sku_ids(self, *, out_id: str) -> dict[str, str] | None:
        """Look a ware up by one SKU's outer id, then read all its SKU ids."""
        found = self._skus({"outId": out_id})
        if not found:
            return None
        ware_id = str(found[0]["wareId"])
        skus = self._skus({"wareId": ware_id})
        return {"": ware_id, **{str(s["outerId"]): str(s["skuId"]) for s in skus}}

    def _skus(self, query: Mapping[str, object]) -> list[JsonDict]:
        params = {**query, "page": 1, "pageSize": 100}
        payload = self.requestor.call("jingdong.sku.read.searchSkuList", params, idempotent=True)
        return list((payload.get("page") or {}).get("data") or [])

    def item_update(self, *, item: Item) -> None:
        ware = {"wareId": _remote(item), "title": item.title, "introduction": item.description}
        self.requestor.call("jingdong.ware.write.updateWare", {"ware": ware}, idempotent=True)

    def sku_prices_set(self, *, item: Item, prices: Mapping[str, Decimal]) -> None:
        for outer_id, price in prices.items():
            params = {"skuId": _sku_remote(item, outer_id), "jdPrice": str(yuan(price))}
            self.requestor.call("jingdong.price.write.updateSkuJdPrice", params, idempotent=True)

    def sku_stocks_set(self, *, item: Item, stocks: Mapping[str, int]) -> None:
        for outer_id, quantity in stocks.items():
            params = {"skuId": _sku_remote(item, outer_id), "stockNum": quantity}
            self.requestor.call("jingdong.stock.write.updateSkuStock", params, idempotent=True)

    def item_off_sale(self, *, item: Item) -> None:
        self._shelve(item, DOWN)

    def item_on_sale(self, *, item: Item) -> None:
        self._shelve(item, UP)

    def _shelve(self, item: Item, op_type: int) -> None:
        params = {"wareId": _remote(item), "opType": op_type, "note": ""}
        payload = self.requestor.call("jingdong.ware.write.upOrDown", params, idempotent=True)
        check_result(payload)

    def item_find(self, *, outer_id: str) -> ListedItem | None:
        found = self._wares({"outerId": outer_id, "pageNo": 1, "pageSize": 10})[0]
        return found[0] if found else None

    def _wares(self, params: Mapping[str, object]) -> tuple[list[ListedItem], int]:
        payload = self.requestor.call(
            "jingdong.ware.read.searchWare4Valid", params, idempotent=True
        )
        page = payload.get("page") or {}
        wares = [self._listed(raw) for raw in page.get("data") or []]
        return wares, int(page.get("totalItem", 0))

    def _listed(self, raw: JsonDict) -> ListedItem:
        skus = tuple(
            ListedSku(
                remote_id=str(s["skuId"]),
                outer_id=str(s.get("outerId", "")),
                price=yuan(s["jdPrice"]) if "jdPrice" in s else None,
                stock=int(s["stockNum"]) if "stockNum" in s else None,
            )
            for s in self._skus({"wareId": str(raw["wareId"])})
        )
        return ListedItem(
            remote_id=str(raw["wareId"]),
            outer_id=str(raw.get("outerId", "")),
            title=str(raw.get("title", "")),
            on_sale=int(raw.get("wareStatus", 0)) == 8,
            skus=skus,
        )

    def items_iter(self) -> Iterator[ListedItem]:
        size = 50

        def fetch(page: int) -> tuple[list[ListedItem], bool]:
            wares, total = self._wares({"wareStatusValue": 8, "pageNo": page, "pageSize": size})
            return wares, page * size < total

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
                "start_date": cst_format(lower),
                "end_date": cst_format(upper),
                "order_state": ORDER_STATES,
                "optional_fields": ORDER_FIELDS,
                "page": str(page),
                "page_size": str(self.page_size),
                "sortType": 1,
                "dateType": 0,
            }
            payload = self.requestor.call("jingdong.pop.order.enSearch", params, idempotent=True)
            result = payload.get("searchorderinfo_result") or {}
            check_result(result)
            orders = [_order(raw) for raw in result.get("orderInfoList") or []]
            return orders, int(result.get("orderTotal", 0))

        return pages_backwards(fetch, page_size=self.page_size)

    def after_sales_changed(self, *, start: datetime, end: datetime) -> Iterator[AfterSale]:
        """jingdong.pop.afs.soa.refundapply.queryPageList has no modified time: each window is
        read by apply time (new applications) and by check time (decided ones)."""
        windows = slice_windows(
            start=start, end=end, max_window=self.max_window, overlap=self.overlap
        )

        def window(lower: datetime, upper: datetime, by: str) -> Iterator[AfterSale]:
            def fetch(page: int) -> tuple[list[AfterSale], int]:
                params = {
                    f"{by}TimeStart": cst_format(lower),
                    f"{by}TimeEnd": cst_format(upper),
                    "pageIndex": page,
                    "pageSize": REFUND_PAGE,
                }
                payload = self.requestor.call(
                    "jingdong.pop.afs.soa.refundapply.queryPageList", params, idempotent=True
                )
                result = payload.get("queryResult") or {}
                if not result.get("success"):
                    raise InvalidRequest(
                        str(result.get("errorMessage", "refund query refused")),
                        platform=self.platform,
                        code=str(result.get("errorCode", "")),
                    )
                rows = [_refund(raw) for raw in result.get("result") or []]
                return rows, int(result.get("totalCount", 0))

            return pages_backwards(fetch, page_size=REFUND_PAGE)

        found = (
            r
            for lower, upper in windows
            for by in ("check", "apply")
            for r in window(lower, upper, by)
        )
        return dedupe(found, key=lambda refund: refund.remote_id)

    def order_get(self, *, order_id: str) -> Order:
        params = {"order_id": order_id, "optional_fields": ORDER_FIELDS}
        payload = self.requestor.call("jingdong.pop.order.enGet", params, idempotent=True)
        detail = payload.get("orderDetailInfo") or {}
        check_result(detail)
        return _order(detail["orderInfo"])

    def shipment_send(self, *, shipment: Shipment) -> None:
        params = {
            "orderId": shipment.order_id,
            "logiCoprId": shipment.courier_code,
            "logiNo": shipment.waybill_no,
        }

        def send() -> bool:
            payload = self.requestor.call("jingdong.pop.order.shipment", params, idempotent=False)
            check_result(payload.get("sopjosshipment_result") or {})
            return True

        def lookup() -> bool | None:
            order = self.order_get(order_id=shipment.order_id)
            return shipment_landed(order.status)

        reconciled(send, lookup)

    def couriers_list(self) -> list[Courier]:
        payload = self.requestor.call(
            "360buy.get.vender.all.delivery.company", {"fields": "id,name"}, idempotent=True
        )
        return [
            Courier(code=str(c["id"]), name=str(c["name"]))
            for c in payload.get("delivery_list") or []
        ]

    # Categories, attributes, templates ---------------------------------------------------
    def categories_list(self, *, parent_id: str = "0") -> list[RemoteCategory]:
        params = {"parentCid": int(parent_id)}
        payload = self.requestor.call("jingdong.category.read.findByPId", params, idempotent=True)
        return [
            RemoteCategory(
                id=str(c["id"]),
                name=str(c["name"]),
                parent_id=str(c.get("fid", parent_id)),
                is_leaf=int(c.get("lev", 0)) == LEAF_LEVEL,
            )
            for c in payload.get("categories") or []
        ]

    def category_attributes(self, *, category_id: str) -> list[CategoryAttribute]:
        """Attributes, then the listed values of each non-sale one (sale values are free)."""
        payload = self.requestor.call(
            "jingdong.category.read.findAttrsByCategoryIdUnlimitCate",
            {"cid": int(category_id)},
            idempotent=True,
        )
        out = []
        for raw in payload.get("attributes") or []:
            sale = int(raw.get("attributeType", 0)) == SALE_ATTRIBUTE
            features = raw.get("attrFeatures") or {}
            values: tuple[AttributeValue, ...] = ()
            if not sale:
                found = self.requestor.call(
                    "jingdong.category.read.findValuesByAttrIdUnlimit",
                    {"categoryAttrId": int(raw["id"])},
                    idempotent=True,
                )
                values = tuple(
                    AttributeValue(id=str(v["id"]), name=str(v["value"]))
                    for v in found.get("values") or []
                )
            out.append(
                CategoryAttribute(
                    id=str(raw["id"]),
                    name=str(raw["name"]),
                    required=str(features.get("isRequired", "0")) == "1",
                    sale=sale,
                    values=values,
                )
            )
        return out

    def freight_templates(self) -> list[FreightTemplate]:
        payload = self.requestor.call(
            "jingdong.freight.query.getFreightTemplates", {}, idempotent=True
        )
        return [
            FreightTemplate(id=str(t["id"]), name=str(t["name"]))
            for t in payload.get("templates") or []
        ]


def _mapping(item: Item) -> JdMapping:
    if not isinstance(item.mapping, JdMapping):
        raise InvalidRequest("item has no JD mapping", platform="jd")
    return item.mapping


def _remote(item: Item) -> str:
    return item_remote_id(item, platform="jd")


def _sku_remote(item: Item, outer_id: str) -> str:
    return sku_remote_id(item, outer_id, platform="jd", id_name="JD skuId")


def _order(raw: JsonDict) -> Order:
    lines = tuple(
        OrderLine(
            remote_item_id=str(i.get("wareId", "")),
            remote_sku_id=str(i.get("skuId", "")),
            outer_sku_id=str(i.get("outerSkuId", "")),
            title=str(i.get("skuName", "")),
            unit_price=yuan(i["jdPrice"]),
            quantity=int(i["itemTotal"]),
        )
        for i in raw.get("itemInfoList") or []
    )
    info = raw.get("consigneeInfo")
    receiver = None
    if info:
        receiver = Receiver(
            name=str(info.get("fullname", "")),
            phone=str(info.get("mobile", "")),
            province=str(info.get("province", "")),
            city=str(info.get("city", "")),
            district=str(info.get("county", "")),
            address=str(info.get("fullAddress", "")),
        )
    shipment = None
    if raw.get("waybill"):
        code = str(raw.get("logisticsId", ""))
        shipment = Shipment(str(raw["orderId"]), code, str(raw["waybill"]))
    return Order(
        shipment=shipment,
        remote_id=str(raw["orderId"]),
        status=order_status(
            STATUS, str(raw["orderState"]), platform="jd", order_id=str(raw["orderId"])
        ),
        remote_status=str(raw["orderState"]),
        total=yuan(raw["orderPayment"]),
        created_at=cst_parse(str(raw["orderStartTime"])),
        modified_at=cst_parse(str(raw["modified"])),
        lines=lines,
        receiver=receiver,
    )


REFUND_PAGE = 50  # queryPageList pages at most 50
REFUND_STATUS = {
    0: AfterSaleStatus.OPEN,
    1: AfterSaleStatus.REFUNDED,
    2: AfterSaleStatus.CLOSED,
    3: AfterSaleStatus.REFUNDED,  # JD finance agreed
    4: AfterSaleStatus.CLOSED,  # JD finance refused
    5: AfterSaleStatus.REFUNDED,  # agreed by hand
    6: AfterSaleStatus.REFUNDED,  # intercepted and refunded
}


def _refund(raw: JsonDict) -> AfterSale:
    refund_id = str(raw["id"])
    moment = raw.get("checkTime") or raw["applyTime"]
    return AfterSale(
        remote_id=refund_id,
        order_id=str(raw["orderId"]),
        status=after_sale_status(
            REFUND_STATUS, int(raw["status"]), platform="jd", refund_id=refund_id
        ),
        remote_status=str(raw["status"]),
        amount=from_fen(int(raw["applyRefundSum"])),  # fen
        with_return=False,
        reason=str(raw.get("applyReason", "")),
        modified_at=cst_parse(str(moment)),
    )
