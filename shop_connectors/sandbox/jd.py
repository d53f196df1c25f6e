"""JD (JOS) sandbox gateway: `/routerjson` and `/oauth2/*`; envelopes end in "responce"."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from shop_connectors.sandbox.catalogue import CATALOGUES
from shop_connectors.sandbox.server import Gateway, Json
from shop_connectors.sandbox.store import (
    COMPLETED,
    PAID,
    REFUNDED,
    SHIPPED,
    SandboxError,
    SItem,
    SOrder,
    Store,
    mask_address,
    mask_name,
    mask_phone,
)

BEIJING = timezone(timedelta(hours=8))
STATES = {
    PAID: "WAIT_SELLER_STOCK_OUT",
    SHIPPED: "WAIT_GOODS_RECEIVE_CONFIRM",
    COMPLETED: "FINISHED_L",
    REFUNDED: "TRADE_CANCELED",
}
GATEWAY_ERRORS = {
    "limited": ("2", "App Call Limited", "调用次数超限"),
    "missing_version": ("4", "Missing Version", "缺少版本参数"),
    "bad_version": ("5", "Unsupported Version", "不支持的版本号"),
    "missing_timestamp": ("7", "Missing Timestamp", "缺少时间戳参数"),
    "bad_timestamp": ("8", "Invalid Timestamp", "非法的时间戳参数"),
    "missing_sign": ("11", "Missing Signature", "缺少签名参数"),
    "bad_sign": ("12", "Invalid Signature", "无效签名"),
    "missing_method": ("14", "Missing Method", "缺少方法名参数"),
    "bad_method": ("15", "Invalid Method", "不存在的方法名"),
    "token_invalid": ("19", "Invalid access_token", "token无效"),
    "token_expired": ("19", "Invalid access_token (expired)", "token已过期"),
    "bad_app": ("21", "Invalid app_key", "无效的app_key"),
    "item_not_found": ("10400001", "ware not exist", "商品不存在"),
    "sku_not_found": ("10400002", "sku not exist", "SKU不存在"),
}
CATALOGUE = CATALOGUES["jd"]
SALE, KEY = 4, 1  # attributeType: 4 sale attribute, 1 key attribute
COMPANIES = [
    (1499, "中通速递"),
    (470, "申通快递"),
    (463, "圆通快递"),
    (1327, "韵达快递"),
    (467, "顺丰快递"),
    (465, "邮政EMS"),
    (2087, "京东快递"),
]


def stamp(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def parse_stamp(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING).timestamp())


def jd_signature(params: dict[str, str], secret: str) -> str:
    keys = [k for k in sorted(params) if k != "sign" and params[k] != ""]
    payload = secret + "".join(k + params[k] for k in keys) + secret
    return hashlib.md5(payload.encode("utf-8")).hexdigest().upper()  # noqa: S324


def price_fen(value: Any) -> int:
    try:
        return int(Decimal(str(value)) * 100)
    except InvalidOperation:
        raise SandboxError("invalid", f"bad price {value!r}") from None


def yuan(value: int) -> str:
    whole, cents = divmod(value, 100)
    return f"{whole}.{cents:02d}"


def check_ware(ware: dict[str, Any]) -> None:
    """An authorised third-level category, a known template and every required attribute."""
    category = int(ware["categoryId"])
    if CATALOGUE.leaf(category) is None:
        raise SandboxError("invalid", f"categoryId {category} is not a third-level category")
    transport = ware.get("transportId")
    if transport is not None and int(transport) not in {t for t, _ in CATALOGUE.templates}:
        raise SandboxError("invalid", f"transportId {transport} does not exist")
    given = {str(row.get("attrId")) for row in ware.get("props") or []}
    for attr in CATALOGUE.required(category):
        if str(attr.id) not in given:
            raise SandboxError("invalid", f"missing required attribute {attr.name} ({attr.id})")


def ok(method: str, **fields: Any) -> Json:
    return {method.replace(".", "_") + "_responce": {"code": "0", **fields}}


class JdGateway(Gateway):
    name = "jd"
    api_path = "/routerjson"
    authorize_path = "/oauth2/to_login"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.methods = {
            "jingdong.ware.write.add": self.ware_add,
            "jingdong.ware.write.updateWare": self.update_ware,
            "jingdong.price.write.updateSkuJdPrice": self.update_price,
            "jingdong.stock.write.updateSkuStock": self.update_stock,
            "jingdong.ware.write.upOrDown": self.up_or_down,
            "jingdong.ware.read.searchWare4Valid": self.search_ware,
            "jingdong.sku.read.searchSkuList": self.search_sku,
            "jingdong.pop.order.enSearch": self.order_search,
            "jingdong.pop.order.enGet": self.order_get,
            "jingdong.pop.order.shipment": self.shipment,
            "360buy.get.vender.all.delivery.company": self.companies,
            "jingdong.pop.afs.soa.refundapply.queryPageList": self.refund_apply_list,
            "jingdong.category.read.findByPId": self.find_by_pid,
            "jingdong.category.read.findAttrsByCategoryIdUnlimitCate": self.find_attrs,
            "jingdong.category.read.findValuesByAttrIdUnlimit": self.find_values,
            "jingdong.freight.query.getFreightTemplates": self.freight_templates,
        }

    def authenticate(self, params: dict[str, str]) -> tuple[str, str, str]:
        checks = [
            ("method", "missing_method"),
            ("app_key", "bad_app"),
            ("sign", "missing_sign"),
            ("timestamp", "missing_timestamp"),
            ("v", "missing_version"),
        ]
        for name, kind in checks:
            if not params.get(name):
                raise SandboxError(kind, f"missing {name}")
        secret = self.store.apps.get(params["app_key"])
        if secret is None:
            raise SandboxError("bad_app", "invalid app_key")
        if params["v"] != "2.0":
            raise SandboxError("bad_version", "unsupported version")
        try:
            moment = parse_stamp(params["timestamp"])
        except ValueError:
            raise SandboxError("bad_timestamp", "invalid timestamp") from None
        if abs(time.time() - moment) > 360:
            raise SandboxError("bad_timestamp", "timestamp more than 6 minutes off")
        if jd_signature(params, secret) != params["sign"]:
            raise SandboxError("bad_sign", "invalid signature")
        if params["method"] not in self.methods:
            raise SandboxError("bad_method", "invalid method")
        shop = self.store.token_shop(params["app_key"], params.get("access_token", ""))
        return params["method"], params["app_key"], shop

    def error_body(self, error: SandboxError) -> Json:
        code, en, zh = GATEWAY_ERRORS.get(
            error.kind, ("10000000", "invalid parameter", error.message)
        )
        return {"error_response": {"code": code, "en_desc": en, "zh_desc": zh}}

    def authorize_params(self, params: dict[str, str]) -> tuple[str, str, str]:
        return params["app_key"], params["redirect_uri"], params.get("state", "")

    def oauth(self, path: str, params: dict[str, str]) -> tuple[int, Json] | None:
        app, secret = params.get("app_key", ""), params.get("app_secret", "")
        try:
            if path == "/oauth2/access_token":
                grant = self.store.redeem_code(app, secret, params.get("code", ""))
            elif path == "/oauth2/refresh_token":
                grant = self.store.redeem_refresh(app, secret, params.get("refresh_token", ""))
            else:
                return None
        except SandboxError as error:
            return 200, {
                "code": 402 if error.kind == "invalid_grant" else 401,
                "msg": error.message,
            }
        access, refresh = self.store.grant(grant.app_key, grant.shop_id)
        return 200, {
            "code": 0,
            "access_token": access,
            "expires_in": self.store.token_ttl,
            "refresh_token": refresh,
            "refresh_expires_in": self.store.refresh_ttl,
            "scope": "snsapi_base",
            "uid": grant.shop_id,
            "open_id": "o" + grant.shop_id,
            "user_nick": self.store.shops.get(grant.shop_id, ""),
            "time": int(time.time() * 1000),
            "token_type": "bearer",
        }

    @staticmethod
    def _args(p: dict[str, str]) -> dict[str, Any]:
        try:
            args = json.loads(p.get("360buy_param_json") or "{}")
        except ValueError:
            raise SandboxError("invalid", "360buy_param_json is not JSON") from None
        if not isinstance(args, dict):
            raise SandboxError("invalid", "360buy_param_json must be an object")
        return args

    # Wares ---------------------------------------------------------------------------------
    def ware_add(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        ware, skus = args.get("ware") or {}, args.get("skus") or []
        if not ware.get("title") or len(ware["title"]) > 50 or not ware.get("categoryId"):
            raise SandboxError(
                "invalid", "ware.title (<=50 chars) and ware.categoryId are required"
            )
        check_ware(ware)
        rows = [
            {
                "outer_id": s.get("outerId", ""),
                "price_fen": price_fen(s["jdPrice"]),
                "stock": int(s["stockNum"]),
                "props": json.dumps(s.get("saleAttrs", [])),
            }
            for s in skus
        ]
        item = self.store.add_item(
            shop,
            {
                "outer_id": ware.get("outerId", ""),
                "title": ware["title"],
                "desc": ware.get("introduction", ""),
                "price_fen": price_fen(ware.get("jdPrice", 0)),
                "on_sale": int(ware.get("wareStatus", 1)) == 8,
                "extra": {"categoryId": ware["categoryId"]},
            },
            rows,
        )
        out = [{"skuId": s, "outerId": self.store.skus[s].outer_id} for s in item.sku_ids]
        return ok(
            p["method"],
            ware={"wareId": item.id, "title": item.title, "outerId": item.outer_id, "skus": out},
        )

    def _sku_item(self, shop: str, sku_id: Any) -> tuple[SItem, int]:
        sku = self.store.skus.get(int(sku_id)) if str(sku_id).isdigit() else None
        if sku is None or self.store.items[sku.item_id].shop_id != shop:
            raise SandboxError("sku_not_found", "sku not exist")
        return self.store.items[sku.item_id], sku.id

    def update_ware(self, shop: str, p: dict[str, str]) -> Json:
        ware = self._args(p).get("ware") or {}
        item = self.store.item_of(shop, ware.get("wareId"))
        item.title = ware.get("title") or item.title
        item.desc = ware.get("introduction") or item.desc
        self.store.touch(item)
        return ok(p["method"], success=True)

    def update_price(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        item, sku_id = self._sku_item(shop, args.get("skuId"))
        self.store.skus[sku_id].price_fen = price_fen(args["jdPrice"])
        self.store.touch(item)
        return ok(p["method"], success=True)

    def update_stock(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        item, sku_id = self._sku_item(shop, args.get("skuId"))
        if int(args["stockNum"]) < 0:
            raise SandboxError("invalid", "stockNum must not be negative")
        self.store.skus[sku_id].stock = int(args["stockNum"])
        self.store.touch(item)
        return ok(p["method"], success=True)

    def up_or_down(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        item = self.store.item_of(shop, args.get("wareId"))
        if args.get("opType") not in (1, 2):
            raise SandboxError("invalid", "opType must be 1 (up) or 2 (down)")
        item.on_sale = args["opType"] == 1
        self.store.touch(item)
        return ok(p["method"], success=True)

    @staticmethod
    def _page(rows: list[Json], page: int, size: int) -> Json:
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "pageSize must be 1-100")
        return {
            "data": rows[(page - 1) * size : page * size],
            "pageNo": page,
            "pageSize": size,
            "totalItem": len(rows),
        }

    def search_ware(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        items = self.store.shop_items(shop)
        if args.get("wareStatusValue") == 8:
            items = [i for i in items if i.on_sale]
        if args.get("outerId"):
            items = [i for i in items if i.outer_id == args["outerId"]]
        rows = [
            {
                "wareId": i.id,
                "title": i.title,
                "outerId": i.outer_id,
                "wareStatus": 8 if i.on_sale else 2,
                "jdPrice": yuan(i.price_fen),
                "modified": stamp(i.modified),
            }
            for i in items
        ]
        page = self._page(rows, int(args.get("pageNo", 1)), int(args.get("pageSize", 20)))
        return ok(p["method"], page=page)

    def search_sku(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        skus = [s for s in self.store.skus.values() if self.store.items[s.item_id].shop_id == shop]
        if args.get("wareId"):
            skus = [s for s in skus if str(s.item_id) == str(args["wareId"])]
        if args.get("skuId"):
            skus = [s for s in skus if str(s.id) == str(args["skuId"])]
        if args.get("outId"):
            skus = [s for s in skus if s.outer_id == args["outId"]]
        rows = [
            {
                "skuId": s.id,
                "wareId": s.item_id,
                "outerId": s.outer_id,
                "jdPrice": yuan(s.price_fen),
                "stockNum": s.stock,
                "status": 1,
            }
            for s in skus
        ]
        page = self._page(rows, int(args.get("page", 1)), int(args.get("pageSize", 20)))
        return ok(p["method"], page=page)

    # Orders --------------------------------------------------------------------------------
    def _render(self, order: SOrder) -> Json:
        name, phone, province, city, county, address = order.buyer
        rendered: Json = {
            "orderId": order.id,
            "venderId": order.shop_id,
            "orderState": STATES[order.status],
            "orderTotalPrice": yuan(order.total_fen),
            "orderPayment": yuan(order.total_fen),
            "freightPrice": "0.00",
            **(
                {"logisticsId": order.shipment[0], "waybill": order.shipment[1]}
                if order.shipment
                else {}
            ),
            "orderStartTime": stamp(order.created),
            "modified": stamp(order.modified),
            "consigneeInfo": {
                "fullname": mask_name(name),
                "mobile": mask_phone(phone),
                "telephone": mask_phone(phone),
                "province": province,
                "city": city,
                "county": county,
                "fullAddress": province + city + county + mask_address(address),
            },
            "itemInfoList": [
                {
                    "wareId": line.item_id,
                    "skuId": line.sku_id,
                    "outerSkuId": line.outer_sku_id,
                    "skuName": line.title,
                    "jdPrice": yuan(line.price_fen),
                    "itemTotal": line.quantity,
                }
                for line in order.lines
            ],
        }
        return {**rendered, **order.override}

    def order_search(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        start, end = parse_stamp(args["start_date"]), parse_stamp(args["end_date"])
        if end < start or end - start > 31 * 86400:
            raise SandboxError("invalid", "the window must be at most one month")
        page, size = int(args.get("page", 1)), int(args.get("page_size", 20))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size must be 1-100")
        wanted = set(str(args.get("order_state", ",".join(STATES.values()))).split(","))
        visible = {k for k, v in STATES.items() if v in wanted}
        desc = int(args.get("sortType", 0)) == 1
        found = self.store.orders_between(shop, start, end, visible=visible, newest_first=desc)
        rows = [self._render(o) for o in found[(page - 1) * size : page * size]]
        result = {
            "apiResult": {
                "success": True,
                "chineseErrCode": "成功",
                "englishErrCode": "success",
                "numberCode": 10100000,
            },
            "orderInfoList": rows,
            "orderTotal": len(found),
        }
        return ok(p["method"], searchorderinfo_result=result)

    def refund_apply_list(self, shop: str, p: dict[str, str]) -> Json:
        """jingdong.pop.afs.soa.refundapply.queryPageList: refund applications by apply time or
        by check (decision) time; applyRefundSum in fen; status 0 unchecked, 1 agreed,
        2 refused (here: withdrawn)."""
        args = self._args(p)
        if args.get("checkTimeStart"):
            by, lo, hi = "modified", args["checkTimeStart"], args.get("checkTimeEnd", "")
        else:
            by, lo, hi = "created", args.get("applyTimeStart", ""), args.get("applyTimeEnd", "")
        if not lo or not hi:
            result = {"success": False, "errorCode": "10100001", "errorMessage": "时间参数缺失"}
            return ok(p["method"], queryResult=result)
        start, end = parse_stamp(str(lo)), parse_stamp(str(hi))
        if end < start or end - start > 31 * 86400:
            raise SandboxError("invalid", "the window must be at most one month")
        page, size = int(args.get("pageIndex", 1)), int(args.get("pageSize", 20))
        if not 1 <= size <= 50:
            raise SandboxError("invalid", "pageSize must be 1-50")
        found = self.store.refunds_between(shop, start, end, newest_first=True, by=by)
        if by == "modified":  # a decision time exists only once checked
            found = [r for r in found if r.status != "waiting"]
        rows = [
            {
                "id": r.id,
                "orderId": r.order_id,
                "status": {"waiting": 0, "success": 1, "closed": 2}[r.status],
                "applyRefundSum": r.amount_fen,
                "applyReason": r.reason,
                "applyTime": stamp(r.created),
                **({"checkTime": stamp(r.modified)} if r.status != "waiting" else {}),
            }
            for r in found[(page - 1) * size : page * size]
        ]
        result = {"success": True, "result": rows, "totalCount": len(found)}
        return ok(p["method"], queryResult=result)

    def order_get(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        order = self.store.orders.get(str(args.get("order_id")))
        if order is None or order.shop_id != shop or order.status not in STATES:
            api = {
                "success": False,
                "chineseErrCode": "订单不存在",
                "englishErrCode": "order not exist",
                "numberCode": 10100041,
            }
            return ok(p["method"], orderDetailInfo={"apiResult": api})
        api = {"success": True, "chineseErrCode": "成功", "englishErrCode": "success"}
        return ok(p["method"], orderDetailInfo={"apiResult": api, "orderInfo": self._render(order)})

    def shipment(self, shop: str, p: dict[str, str]) -> Json:
        args = self._args(p)
        courier = str(args.get("logiCoprId", ""))
        if int(courier or 0) not in {c for c, _ in COMPANIES}:
            result = {"success": False, "chineseErrCode": "物流公司不存在", "errorCode": "10400040"}
            return ok(p["method"], sopjosshipment_result=result)
        try:
            self.store.ship(shop, str(args.get("orderId")), courier, str(args.get("logiNo", "")))
        except SandboxError as error:
            english = "order not exist" if error.kind == "order_not_found" else "invalid state"
            result = {
                "success": False,
                "chineseErrCode": error.message,
                "englishErrCode": english,
                "errorCode": "10400041",
            }
            return ok(p["method"], sopjosshipment_result=result)
        result = {"success": True, "chineseErrCode": "成功", "errorCode": ""}
        return ok(p["method"], sopjosshipment_result=result)

    # Categories, attributes, templates --------------------------------------------------------
    def find_by_pid(self, shop: str, p: dict[str, str]) -> Json:
        parent = int(self._args(p).get("parentCid") or 0)
        rows = [
            {"id": c.id, "name": c.name, "fid": c.parent, "lev": 3 if c.leaf else 1, "status": 1}
            for c in CATALOGUE.children(parent)
        ]
        return ok(p["method"], categories=rows)

    def find_attrs(self, shop: str, p: dict[str, str]) -> Json:
        category = int(self._args(p).get("cid") or 0)
        if CATALOGUE.leaf(category) is None:
            raise SandboxError("invalid", f"cid {category} is not a third-level category")
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "categoryId": category,
                "attributeType": SALE if a.sale else KEY,
                "attrFeatures": {"isRequired": "1" if a.required else "0"},
            }
            for a in CATALOGUE.attrs.get(category, ())
        ]
        return ok(p["method"], attributes=rows)

    def find_values(self, shop: str, p: dict[str, str]) -> Json:
        attr_id = int(self._args(p).get("categoryAttrId") or 0)
        attrs = {a.id: a for group in CATALOGUE.attrs.values() for a in group}
        if attr_id not in attrs:
            raise SandboxError("invalid", f"categoryAttrId {attr_id} does not exist")
        rows = [{"id": v, "value": n, "attributeId": attr_id} for v, n in attrs[attr_id].values]
        return ok(p["method"], values=rows)

    def freight_templates(self, shop: str, p: dict[str, str]) -> Json:
        rows = [{"id": i, "name": n} for i, n in CATALOGUE.templates]
        return ok(p["method"], templates=rows)

    def companies(self, shop: str, p: dict[str, str]) -> Json:
        rows = [{"id": i, "name": n, "description": n} for i, n in COMPANIES]
        return ok(p["method"], delivery_list=rows)
