"""Pinduoduo sandbox gateway: `/api/router`, `/service-market/auth`, `/oauth/token`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
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

VISIBLE = {PAID: 1, SHIPPED: 2, COMPLETED: 3, REFUNDED: 1}  # unpaid orders are not visible
ERRORS = {
    "limited": (52101, "接口被限流", ""),
    "bad_sign": (20004, "签名验证失败", ""),
    "token_invalid": (10019, "access_token已过期或无效", ""),
    "token_expired": (10019, "access_token已过期", ""),
    "bad_app": (10016, "client_id不存在", ""),
    "item_not_found": (10000, "参数错误", "goods_not_exist"),
    "sku_not_found": (10000, "参数错误", "sku_not_exist"),
    "order_not_found": (10000, "参数错误", "order_not_exist"),
}
COMPANIES = [
    (115, "中通快递", "ZTO"),
    (1, "申通快递", "STO"),
    (85, "圆通快递", "YTO"),
    (121, "韵达快递", "YUNDA"),
    (44, "顺丰快递", "SF"),
    (118, "邮政EMS", "EMS"),
    (132, "邮政快递包裹", "YZXB"),
]
NO_TOKEN = {"pdd.time.get", "pdd.logistics.companies.get", "pdd.goods.spec.id.get"}
CATALOGUE = CATALOGUES["pinduoduo"]


def clock_text(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + 8 * 3600))


def check_sign(params: dict[str, str], secret: str) -> bool:
    digest = hashlib.md5()  # noqa: S324
    digest.update(secret.encode())
    for name in sorted(params):
        if name == "sign" or not params[name]:
            continue
        digest.update(name.encode())
        digest.update(params[name].encode())
    digest.update(secret.encode())
    return digest.hexdigest().upper() == params.get("sign")


def need(params: dict[str, str], *names: str) -> None:
    missing = [n for n in names if params.get(n) in (None, "")]
    if missing:
        raise SandboxError("invalid", f"缺少参数 {','.join(missing)}")


def check_goods(cat_id: str, template_id: str, properties: str) -> None:
    """A leaf category, a template of the shop and every required property of the category."""
    if not cat_id.isdigit() or CATALOGUE.leaf(int(cat_id)) is None:
        raise SandboxError("invalid", f"cat_id {cat_id} 不是叶子类目")
    if int(template_id) not in {t for t, _ in CATALOGUE.templates}:
        raise SandboxError("invalid", f"cost_template_id {template_id} 不存在")
    given = {str(row.get("ref_pid")) for row in json.loads(properties)}
    for attr in CATALOGUE.required(int(cat_id)):
        if str(attr.id) not in given:
            raise SandboxError("invalid", f"缺少必填属性 {attr.name}({attr.id})")


def num(value: int) -> float:
    return value / 100


class PddGateway(Gateway):
    name = "pinduoduo"
    api_path = "/api/router"
    authorize_path = "/service-market/auth"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.methods = {
            "pdd.goods.image.upload": self.image_upload,
            "pdd.goods.spec.id.get": self.spec_id,
            "pdd.goods.add": self.goods_add,
            "pdd.goods.information.update": self.information_update,
            "pdd.goods.sku.price.update": self.sku_price,
            "pdd.goods.quantity.update": self.quantity,
            "pdd.goods.sale.status.set": self.sale_status,
            "pdd.goods.list.get": self.goods_list,
            "pdd.order.number.list.increment.get": self.increment,
            "pdd.order.information.get": self.order_info,
            "pdd.logistics.online.send": self.online_send,
            "pdd.logistics.companies.get": self.companies,
            "pdd.refund.list.increment.get": self.refund_increment,
            "pdd.time.get": self.time_get,
            "pdd.goods.authorization.cats": self.auth_cats,
            "pdd.goods.spec.get": self.spec_get,
            "pdd.goods.cat.rule.get": self.cat_rule,
            "pdd.goods.logistics.template.get": self.logistics_templates,
        }

    def authenticate(self, params: dict[str, str]) -> tuple[str, str, str]:
        need(params, "type", "client_id", "timestamp", "sign")
        secret = self.store.apps.get(params["client_id"])
        if secret is None:
            raise SandboxError("bad_app", "client_id不存在")
        if not params["timestamp"].isdigit() or abs(time.time() - int(params["timestamp"])) > 600:
            raise SandboxError("invalid", "timestamp与服务器时间相差超过10分钟")
        if not check_sign(params, secret):
            raise SandboxError("bad_sign", "签名验证失败")
        token = params.get("access_token")
        if params["type"] in NO_TOKEN and not token:
            return params["type"], params["client_id"], ""
        if not token:
            raise SandboxError("token_invalid", "缺少access_token")
        return (
            params["type"],
            params["client_id"],
            self.store.token_shop(params["client_id"], token),
        )

    def error_body(self, error: SandboxError) -> Json:
        code, msg, sub_code = ERRORS.get(error.kind, (10000, "参数错误", ""))
        body: Json = {
            "error_code": code,
            "error_msg": msg,
            "sub_msg": error.message,
            "request_id": str(time.time_ns()),
        }
        if sub_code:
            body["sub_code"] = sub_code
        return {"error_response": body}

    def authorize_params(self, params: dict[str, str]) -> tuple[str, str, str]:
        return params["client_id"], params["redirect_uri"], params.get("state", "")

    def oauth(self, path: str, params: dict[str, str]) -> tuple[int, Json] | None:
        if path != "/oauth/token":
            return None
        try:
            app, secret = params.get("client_id", ""), params.get("client_secret", "")
            if params.get("grant_type") == "authorization_code":
                grant = self.store.redeem_code(app, secret, params.get("code", ""))
            else:
                grant = self.store.redeem_refresh(app, secret, params.get("refresh_token", ""))
        except SandboxError as error:
            return 200, {"error_response": {"error_code": 10019, "error_msg": error.message}}
        access, refresh = self.store.grant(grant.app_key, grant.shop_id)
        now = int(time.time())
        return 200, {
            "access_token": access,
            "expires_in": self.store.token_ttl,
            "expires_at": now + self.store.token_ttl,
            "refresh_token": refresh,
            "refresh_token_expires_in": self.store.refresh_ttl,
            "refresh_token_expires_at": now + self.store.refresh_ttl,
            "owner_id": grant.shop_id,
            "owner_name": self.store.shops.get(grant.shop_id, ""),
            "scope": list(self.methods),
        }

    # Goods ---------------------------------------------------------------------------------
    def image_upload(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "image")
        head, _, data = p["image"].partition(";base64,")
        try:
            raw = base64.b64decode(data, validate=True)
        except binascii.Error:
            raise SandboxError("invalid", "image is not base64") from None
        if not head.startswith("data:image/") or not raw:
            raise SandboxError("invalid", "image must be a data URL")
        url = f"https://img.pddpic.com/sandbox/{hashlib.md5(raw).hexdigest()}.jpeg"  # noqa: S324
        return {"goods_image_upload_response": {"image_url": url}}

    def spec_id(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "parent_spec_id", "spec_name")
        key = (int(p["parent_spec_id"]), p["spec_name"])
        if key not in self.store.specs:
            self.store.specs[key] = self.store.new_id()
        return {
            "goods_spec_id_get_response": {
                "spec_id": self.store.specs[key],
                "parent_spec_id": key[0],
                "spec_name": key[1],
            }
        }

    def goods_add(self, shop: str, p: dict[str, str]) -> Json:
        need(
            p, "goods_name", "goods_desc", "cat_id", "cost_template_id", "market_price", "sku_list"
        )
        check_goods(p["cat_id"], p["cost_template_id"], p.get("goods_properties") or "[]")
        known = set(self.store.specs.values())
        skus = []
        for raw in json.loads(p["sku_list"]):
            spec_ids = json.loads(raw["spec_id_list"])
            if not spec_ids or not set(spec_ids) <= known:
                raise SandboxError("invalid", f"unknown spec ids {spec_ids}")
            if int(raw["multi_price"]) > int(raw["price"]):
                raise SandboxError("invalid", "multi_price must not exceed price")
            if int(raw["price"]) > int(p["market_price"]):
                raise SandboxError("invalid", "market_price must be at least every sku price")
            skus.append(
                {
                    "outer_id": raw.get("out_sku_sn", ""),
                    "price_fen": int(raw["multi_price"]),
                    "stock": int(raw["quantity"]),
                    "props": json.dumps(spec_ids),
                }
            )
        item = self.store.add_item(
            shop,
            {
                "outer_id": p.get("out_goods_id", ""),
                "title": p["goods_name"],
                "desc": p["goods_desc"],
                "price_fen": min(s["price_fen"] for s in skus) if skus else 0,
                "extra": {"market_price": int(p["market_price"])},
            },
            skus,
        )
        return {"goods_add_response": {"goods_id": item.id, "goods_commit_id": item.id + 1}}

    def _goods(self, shop: str, p: dict[str, str]) -> SItem:
        need(p, "goods_id")
        return self.store.item_of(shop, p["goods_id"])

    def information_update(self, shop: str, p: dict[str, str]) -> Json:
        item = self._goods(shop, p)
        item.title = p.get("goods_name") or item.title
        item.desc = p.get("goods_desc") or item.desc
        self.store.touch(item)
        return {"goods_information_update_response": {"is_success": True}}

    def sku_price(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "sku_price_list")
        item = self._goods(shop, p)
        changes = json.loads(p["sku_price_list"])
        market = int(p.get("market_price") or item.extra.get("market_price", 0))
        for change in changes:
            self.store.sku_of(item, sku_id=change["sku_id"])
            group, single = int(change["group_price"]), int(change["single_price"])
            if group > single or single > market:
                raise SandboxError("invalid", "need group_price <= single_price <= market_price")
        for change in changes:
            self.store.sku_of(item, sku_id=change["sku_id"]).price_fen = int(change["group_price"])
        item.extra["market_price"] = market
        self.store.touch(item)
        return {"goods_update_sku_price_response": {"is_success": True}}

    def quantity(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "quantity")
        item = self._goods(shop, p)
        if p.get("sku_id"):
            sku = self.store.sku_of(item, sku_id=p["sku_id"])
        else:
            sku = self.store.sku_of(item, outer_id=p.get("outer_id"))
        amount = int(p["quantity"])
        new = amount if p.get("update_type", "1") == "1" else sku.stock + amount
        if new < 0:
            raise SandboxError("invalid", "库存不能小于0")
        sku.stock = new
        self.store.touch(item)
        return {"goods_quantity_update_response": {"is_success": True}}

    def sale_status(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "is_onsale")
        item = self._goods(shop, p)
        item.on_sale = p["is_onsale"] == "1"
        self.store.touch(item)
        return {"goods_sale_status_set_response": {"is_success": True}}

    def goods_list(self, shop: str, p: dict[str, str]) -> Json:
        page, size = int(p.get("page", "1")), int(p.get("page_size", "10"))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size不能超过100")
        items = self.store.shop_items(shop)
        if p.get("outer_id"):
            items = [
                i
                for i in items
                if i.outer_id == p["outer_id"]
                or any(self.store.skus[s].outer_id == p["outer_id"] for s in i.sku_ids)
            ]
        if p.get("is_onsale"):
            items = [i for i in items if i.on_sale == (p["is_onsale"] == "1")]
        rows = [
            {
                "goods_id": i.id,
                "goods_name": i.title,
                "outer_goods_id": i.outer_id,
                "is_onsale": int(i.on_sale),
                "goods_quantity": sum(self.store.skus[s].stock for s in i.sku_ids),
                "sku_list": [
                    {
                        "sku_id": s.id,
                        "outer_id": s.outer_id,
                        "spec": s.props,
                        "sku_quantity": s.stock,
                        "is_sku_onsale": 1,
                    }
                    for s in (self.store.skus[x] for x in i.sku_ids)
                ],
            }
            for i in items[(page - 1) * size : page * size]
        ]
        return {"goods_list_get_response": {"total_count": len(items), "goods_list": rows}}

    # Orders --------------------------------------------------------------------------------
    def _render(self, order: SOrder) -> Json:
        name, phone, province, city, town, address = order.buyer
        rendered: Json = {
            "order_sn": order.id,
            "order_status": VISIBLE[order.status],
            "refund_status": 4 if order.status == REFUNDED else 1,
            "created_time": clock_text(order.created),
            "updated_at": clock_text(order.modified),
            "pay_time": clock_text(order.paid_at or order.created),
            "pay_amount": num(order.total_fen),
            **(
                {"logistics_id": int(order.shipment[0]), "tracking_number": order.shipment[1]}
                if order.shipment
                else {}
            ),
            "goods_amount": num(order.total_fen),
            "receiver_name": mask_name(name),
            "receiver_phone": mask_phone(phone),
            "province": province,
            "city": city,
            "town": town,
            "address": mask_address(address),
            "item_list": [
                {
                    "goods_id": line.item_id,
                    "sku_id": line.sku_id,
                    "outer_id": line.outer_sku_id,
                    "goods_name": line.title,
                    "goods_price": num(line.price_fen),
                    "goods_count": line.quantity,
                }
                for line in order.lines
            ],
        }
        return {**rendered, **order.override}

    def increment(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "start_updated_at", "end_updated_at")
        start, end = int(p["start_updated_at"]), int(p["end_updated_at"])
        if end < start or end - start > 1800:
            raise SandboxError("invalid", "查询时间跨度不能超过30分钟")
        if end > time.time() - 180:
            raise SandboxError("invalid", "end_updated_at须早于服务器时间3分钟")
        page, size = int(p.get("page", "1")), int(p.get("page_size", "100"))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size不能超过100")
        found = self.store.orders_between(shop, start, end, visible=set(VISIBLE), newest_first=True)
        chunk = [self._render(o) for o in found[(page - 1) * size : page * size]]
        return {
            "order_sn_increment_get_response": {
                "total_count": len(found),
                "has_next": page * size < len(found),
                "order_sn_list": chunk,
            }
        }

    def refund_increment(self, shop: str, p: dict[str, str]) -> Json:
        """pdd.refund.list.increment.get: after-sales by update time (≤30 min), amounts in fen."""
        need(p, "start_updated_at", "end_updated_at", "after_sales_status", "after_sales_type")
        start, end = int(p["start_updated_at"]), int(p["end_updated_at"])
        if end < start or end - start > 1800:
            raise SandboxError("invalid", "查询时间跨度不能超过30分钟")
        page, size = int(p.get("page", "1")), int(p.get("page_size", "100"))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size不能超过100")
        found = self.store.refunds_between(shop, start, end, newest_first=True)
        rows = [
            {
                "id": r.id,
                "order_sn": r.order_id,
                # 2/3 awaiting the merchant (refund only / return and refund), 10 refunded,
                # 11 withdrawn by the buyer
                "after_sales_status": {"success": 10, "closed": 11}.get(
                    r.status, 3 if r.with_return else 2
                ),
                "after_sales_type": 3 if r.with_return else 2,
                "refund_amount": r.amount_fen,
                "order_amount": self.store.orders[r.order_id].total_fen,
                "after_sale_reason": r.reason,
                "created_time": clock_text(r.created),
                "updated_time": clock_text(r.modified),
            }
            for r in found[(page - 1) * size : page * size]
        ]
        return {"refund_increment_get_response": {"total_count": len(found), "refund_list": rows}}

    def order_info(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "order_sn")
        order = self.store.orders.get(p["order_sn"])
        if order is None or order.shop_id != shop or order.status not in VISIBLE:
            raise SandboxError("order_not_found", "订单不存在")
        return {"order_info_get_response": {"order_info": self._render(order)}}

    def online_send(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "order_sn", "logistics_id", "tracking_number")
        if int(p["logistics_id"]) not in {c[0] for c in COMPANIES}:
            raise SandboxError("invalid", "logistics_id不存在")
        self.store.ship(shop, p["order_sn"], p["logistics_id"], p["tracking_number"])
        return {"logistics_online_send_response": {"is_success": True}}

    def companies(self, shop: str, p: dict[str, Any]) -> Json:
        rows = [
            {"id": i, "logistics_company": n, "code": c, "available": 1} for i, n, c in COMPANIES
        ]
        return {"logistics_companies_get_response": {"logistics_companies": rows}}

    # Categories, properties, templates --------------------------------------------------------
    def auth_cats(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "parent_cat_id")
        rows = [
            {"cat_id": c.id, "cat_name": c.name, "parent_cat_id": c.parent, "leaf": c.leaf}
            for c in CATALOGUE.children(int(p["parent_cat_id"]))
        ]
        return {"goods_auth_cats_get_response": {"goods_cats_list": rows}}

    def _leaf(self, p: dict[str, str]) -> int:
        need(p, "cat_id")
        if CATALOGUE.leaf(int(p["cat_id"])) is None:
            raise SandboxError("invalid", f"cat_id {p['cat_id']} 不是叶子类目")
        return int(p["cat_id"])

    def spec_get(self, shop: str, p: dict[str, str]) -> Json:
        cat = self._leaf(p)
        rows = [
            {"cat_id": cat, "parent_spec_id": a.id, "parent_spec_name": a.name}
            for a in CATALOGUE.attrs.get(cat, ())
            if a.sale
        ]
        return {"goods_spec_get_response": {"goods_spec_list": rows}}

    def cat_rule(self, shop: str, p: dict[str, str]) -> Json:
        cat = self._leaf(p)
        rows = [
            {
                "ref_pid": a.id,
                "name": a.name,
                "required": a.required,
                "values": [{"vid": v, "value": n} for v, n in a.values],
            }
            for a in CATALOGUE.attrs.get(cat, ())
            if not a.sale
        ]
        return {"cat_rule_get_response": {"goods_properties_rule": {"properties": rows}}}

    def logistics_templates(self, shop: str, p: dict[str, str]) -> Json:
        page, size = int(p.get("page", "1")), int(p.get("page_size", "20"))
        rows = [{"template_id": i, "template_name": n} for i, n in CATALOGUE.templates]
        return {
            "goods_logistics_template_get_response": {
                "total_count": len(rows),
                "logistics_template_list": rows[(page - 1) * size : page * size],
            }
        }

    def time_get(self, shop: str, p: dict[str, Any]) -> Json:
        return {"time_get_response": {"time": clock_text(time.time())}}
