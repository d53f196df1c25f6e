"""Taobao (TOP) sandbox gateway: `/router/rest`, `/authorize`, `/token`."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from shop_connectors.sandbox.catalogue import CATALOGUES
from shop_connectors.sandbox.server import Gateway, Json
from shop_connectors.sandbox.store import (
    CANCELLED,
    COMPLETED,
    PAID,
    REFUNDED,
    SHIPPED,
    UNPAID,
    SandboxError,
    SItem,
    SOrder,
    Store,
    mask_address,
    mask_name,
    mask_phone,
)

GMT8 = timezone(timedelta(hours=8))
STATUS = {
    UNPAID: "WAIT_BUYER_PAY",
    PAID: "WAIT_SELLER_SEND_GOODS",
    SHIPPED: "WAIT_BUYER_CONFIRM_GOODS",
    COMPLETED: "TRADE_FINISHED",
    CANCELLED: "TRADE_CLOSED_BY_TAOBAO",
    REFUNDED: "TRADE_CLOSED",
}
ERRORS = {
    "limited": (
        7,
        "App Call Limited",
        "accesscontrol.limited-by-app-api-access-count",
        "This ban will last for 1 more seconds",
    ),
    "missing_method": (21, "Missing Method", "", ""),
    "bad_method": (22, "Invalid Method", "", ""),
    "missing_sign": (24, "Missing Signature", "", ""),
    "bad_sign": (25, "Invalid Signature", "", ""),
    "missing_session": (26, "Missing Session", "", ""),
    "token_invalid": (27, "Invalid Session", "invalid-sessionkey", "SessionKey非法"),
    "token_expired": (27, "Invalid Session", "sessionkey-expired", "SessionKey已过期"),
    "missing_app": (28, "Missing App Key", "", ""),
    "bad_app": (29, "Invalid App Key", "", ""),
    "bad_timestamp": (31, "Invalid Timestamp", "", ""),
    "missing_arg": (40, "Missing Required Arguments", "isv.missing-parameter", ""),
    "invalid": (15, "Remote service error", "isv.invalid-parameter", ""),
    "item_not_found": (15, "Remote service error", "isv.item-not-exist", ""),
    "sku_not_found": (15, "Remote service error", "isv.sku-not-exist", ""),
    "order_not_found": (15, "Remote service error", "isv.trade-not-exist", ""),
}
COMPANIES = [
    (101, "ZTO", "中通快递"),
    (102, "STO", "申通快递"),
    (103, "YTO", "圆通速递"),
    (104, "YUNDA", "韵达快递"),
    (105, "SF", "顺丰速运"),
    (106, "EMS", "EMS"),
    (107, "POSTB", "邮政快递包裹"),
]
NO_SESSION = {"taobao.logistics.companies.get", "taobao.itemcats.get", "taobao.itemprops.get"}
CATALOGUE = CATALOGUES["taobao"]


def wall(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, GMT8).strftime("%Y-%m-%d %H:%M:%S")


def epoch_of(text: str) -> int:
    try:
        return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8).timestamp())
    except ValueError:
        raise SandboxError("invalid", f"bad time {text!r}") from None


def expected_sign(params: dict[str, str], secret: str, how: str) -> str:
    pieces: list[str] = []
    for name in sorted(params):
        if name != "sign" and params[name] != "":
            pieces += [name, params[name]]
    text = "".join(pieces).encode("utf-8")
    key = secret.encode("utf-8")
    if how == "md5":
        return hashlib.md5(key + text + key).hexdigest().upper()  # noqa: S324
    algo = {"hmac": hashlib.md5, "hmac-sha256": hashlib.sha256}.get(how)
    if algo is None:
        raise SandboxError("bad_sign", f"unsupported sign_method {how}")
    return hmac.new(key, text, algo).hexdigest().upper()


def fen(text: str) -> int:
    return int(Decimal(text) * 100)


def yuan_text(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def need(params: dict[str, str], *names: str) -> None:
    for name in names:
        if not params.get(name):
            raise SandboxError("missing_arg", f"missing {name}")


class TaobaoGateway(Gateway):
    name = "taobao"
    api_path = "/router/rest"
    authorize_path = "/authorize"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.methods = {
            "taobao.item.add": self.item_add,
            "taobao.item.update": self.item_update,
            "taobao.item.update.delisting": self.delisting,
            "taobao.item.update.listing": self.listing,
            "taobao.item.sku.price.update": self.sku_price,
            "taobao.item.quantity.update": self.quantity,
            "taobao.skus.quantity.update": self.skus_quantity,
            "taobao.items.onsale.get": self.onsale,
            "taobao.items.custom.get": self.custom,
            "taobao.trades.sold.increment.get": self.increment,
            "taobao.trade.fullinfo.get": self.fullinfo,
            "taobao.logistics.offline.send": self.offline_send,
            "taobao.logistics.companies.get": self.companies,
            "taobao.refunds.receive.get": self.refunds_receive,
            "taobao.itemcats.get": self.itemcats,
            "taobao.itemprops.get": self.itemprops,
            "taobao.delivery.templates.get": self.delivery_templates,
        }

    def authenticate(self, params: dict[str, str]) -> tuple[str, str, str]:
        method = params.get("method")
        if not method:
            raise SandboxError("missing_method", "missing method")
        app_key = params.get("app_key")
        if not app_key:
            raise SandboxError("missing_app", "missing app_key")
        secret = self.store.apps.get(app_key)
        if secret is None:
            raise SandboxError("bad_app", "invalid app_key")
        if not params.get("sign"):
            raise SandboxError("missing_sign", "missing sign")
        stamp = params.get("timestamp", "")
        moment = int(stamp) / 1000 if stamp.isdigit() else epoch_of(stamp)
        if abs(time.time() - moment) > 600:
            raise SandboxError("bad_timestamp", "timestamp more than 10 minutes off")
        if expected_sign(params, secret, params.get("sign_method", "md5")) != params["sign"]:
            raise SandboxError("bad_sign", "invalid signature")
        if params.get("format", "xml") != "json":
            raise SandboxError("invalid", "this sandbox answers format=json only")
        if method in NO_SESSION and not params.get("session"):
            return method, app_key, ""
        if not params.get("session"):
            raise SandboxError("missing_session", "missing session")
        return method, app_key, self.store.token_shop(app_key, params["session"])

    def error_body(self, error: SandboxError) -> Json:
        code, msg, sub_code, sub_msg = ERRORS.get(error.kind, ERRORS["invalid"])
        body: Json = {"code": code, "msg": msg, "request_id": _rid()}
        if sub_code:
            body["sub_code"] = sub_code
            body["sub_msg"] = sub_msg or error.message
        return {"error_response": body}

    def authorize_params(self, params: dict[str, str]) -> tuple[str, str, str]:
        return params["client_id"], params["redirect_uri"], params.get("state", "")

    def oauth(self, path: str, params: dict[str, str]) -> tuple[int, Json] | None:
        if path != "/token":
            return None
        try:
            app, secret = params.get("client_id", ""), params.get("client_secret", "")
            if params.get("grant_type") == "authorization_code":
                grant = self.store.redeem_code(app, secret, params.get("code", ""))
            elif params.get("grant_type") == "refresh_token":
                grant = self.store.redeem_refresh(app, secret, params.get("refresh_token", ""))
            else:
                raise SandboxError("unsupported_grant_type", "unsupported grant_type")
        except SandboxError as error:
            status = 401 if error.kind == "invalid_client" else 400
            return status, {"error": error.kind, "error_description": error.message}
        access, refresh = self.store.grant(grant.app_key, grant.shop_id)
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.store.token_ttl,
            "refresh_token": refresh,
            "re_expires_in": self.store.refresh_ttl,
            "taobao_user_id": grant.shop_id,
            "taobao_user_nick": self.store.shops.get(grant.shop_id, ""),
        }

    # Items ---------------------------------------------------------------------------------
    def item_add(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "num", "price", "type", "stuff_status", "title", "desc", "cid")
        need(p, "location.state", "location.city")
        props = p.get("sku_properties", "").split(",") if p.get("sku_properties") else []
        columns = [
            p.get(k, "").split(",") for k in ("sku_quantities", "sku_prices", "sku_outer_ids")
        ]
        if any(len(col) != len(props) for col in columns):
            raise SandboxError("invalid", "sku lists differ in length")
        check_props(p["cid"], p.get("props", ""))
        skus = [
            {"props": pr, "stock": int(q), "price_fen": fen(pc), "outer_id": o}
            for pr, q, pc, o in zip(props, *columns, strict=True)
        ] or [{"props": "", "stock": int(p["num"]), "price_fen": fen(p["price"])}]
        item = self.store.add_item(
            shop,
            {
                "outer_id": p.get("outer_id", ""),
                "title": p["title"],
                "desc": p["desc"],
                "price_fen": fen(p["price"]),
                "extra": {"cid": p["cid"]},
            },
            skus,
        )
        return {"item_add_response": {"item": {"num_iid": item.id, "created": wall(item.modified)}}}

    def _item(self, shop: str, p: dict[str, str]) -> SItem:
        need(p, "num_iid")
        return self.store.item_of(shop, p["num_iid"])

    def item_update(self, shop: str, p: dict[str, str]) -> Json:
        item = self._item(shop, p)
        item.title = p.get("title") or item.title
        item.desc = p.get("desc") or item.desc
        self.store.touch(item)
        return {
            "item_update_response": {"item": {"num_iid": item.id, "modified": wall(item.modified)}}
        }

    def delisting(self, shop: str, p: dict[str, str]) -> Json:
        item = self._item(shop, p)
        item.on_sale = False
        self.store.touch(item)
        return {
            "item_update_delisting_response": {
                "item": {"num_iid": item.id, "modified": wall(item.modified)}
            }
        }

    def listing(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "num")
        item = self._item(shop, p)
        item.on_sale = True
        self.store.touch(item)
        return {
            "item_update_listing_response": {
                "item": {"num_iid": item.id, "modified": wall(item.modified)}
            }
        }

    def sku_price(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "properties", "price")
        item = self._item(shop, p)
        match = [
            self.store.skus[s] for s in item.sku_ids if self.store.skus[s].props == p["properties"]
        ]
        if not match:
            raise SandboxError("sku_not_found", "sku does not exist")
        match[0].price_fen = fen(p["price"])
        self.store.touch(item)
        return {
            "item_sku_price_update_response": {
                "sku": {"sku_id": match[0].id, "modified": wall(item.modified)}
            }
        }

    def _set_stock(self, item: SItem, sku_key: dict[str, str], quantity: int, mode: str) -> None:
        sku = self.store.sku_of(item, **sku_key)
        sku.stock = quantity if mode == "1" else sku.stock + quantity
        if sku.stock < 0:
            raise SandboxError("invalid", "stock would go below zero")

    def _stock_reply(self, key: str, item: SItem) -> Json:
        total = sum(self.store.skus[s].stock for s in item.sku_ids)
        return {key: {"item": {"num_iid": item.id, "num": total, "modified": wall(item.modified)}}}

    def quantity(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "quantity")
        item = self._item(shop, p)
        key = {"sku_id": p["sku_id"]} if p.get("sku_id") else {"outer_id": p.get("outer_id", "")}
        self._set_stock(item, key, int(p["quantity"]), p.get("type", "1"))
        self.store.touch(item)
        return self._stock_reply("item_quantity_update_response", item)

    def skus_quantity(self, shop: str, p: dict[str, str]) -> Json:
        item = self._item(shop, p)
        by_id, text = (
            ("sku_id", p["skuid_quantities"])
            if p.get("skuid_quantities")
            else ("outer_id", p.get("outerid_quantities", ""))
        )
        pairs = [chunk.rsplit(":", 1) for chunk in text.split(";") if chunk]
        if not pairs or len(pairs) > 20:
            raise SandboxError("invalid", "between 1 and 20 SKUs per call")
        for ident, qty in pairs:
            self._set_stock(item, {by_id: ident}, int(qty), p.get("type", "1"))
        self.store.touch(item)
        return self._stock_reply("skus_quantity_update_response", item)

    def _render_item(self, item: SItem, fields: set[str]) -> Json:
        out: Json = {
            "num_iid": item.id,
            "title": item.title,
            "outer_id": item.outer_id,
            "approve_status": "onsale" if item.on_sale else "instock",
            "num": sum(self.store.skus[s].stock for s in item.sku_ids),
            "price": yuan_text(item.price_fen),
            "modified": wall(item.modified),
        }
        out = {k: v for k, v in out.items() if k in fields}
        if "sku" in fields:
            skus = [self.store.skus[s] for s in item.sku_ids]
            out["skus"] = {
                "sku": [
                    {
                        "sku_id": s.id,
                        "outer_id": s.outer_id,
                        "properties": s.props,
                        "price": yuan_text(s.price_fen),
                        "quantity": s.stock,
                    }
                    for s in skus
                ]
            }
        return out

    def onsale(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "fields")
        page, size = int(p.get("page_no", "1")), int(p.get("page_size", "40"))
        if not 1 <= size <= 200:
            raise SandboxError("invalid", "page_size must be 1-200")
        items = [i for i in self.store.shop_items(shop) if i.on_sale]
        items.sort(key=lambda i: (-i.modified, -i.id))
        fields = set(p["fields"].split(","))
        chunk = [self._render_item(i, fields) for i in items[(page - 1) * size : page * size]]
        return {
            "items_onsale_get_response": {"total_results": len(items), "items": {"item": chunk}}
        }

    def custom(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "outer_id", "fields")
        wanted = set(p["outer_id"].split(","))
        fields = set(p["fields"].split(","))
        found = [
            self._render_item(i, fields)
            for i in self.store.shop_items(shop)
            if i.outer_id in wanted
        ]
        return {"items_custom_get_response": {"items": {"item": found}}}

    # Orders --------------------------------------------------------------------------------
    def _render_trade(self, order: SOrder, full: bool) -> Json:
        trade: Json = {
            "tid": int(order.id),
            "status": STATUS[order.status],
            "payment": yuan_text(order.total_fen),
            "created": wall(order.created),
            "modified": wall(order.modified),
            "orders": {
                "order": [
                    {
                        "oid": int(order.id) * 10 + n,
                        "num_iid": line.item_id,
                        "sku_id": line.sku_id,
                        "outer_sku_id": line.outer_sku_id,
                        "title": line.title,
                        "price": yuan_text(line.price_fen),
                        "num": line.quantity,
                        "total_fee": yuan_text(line.price_fen * line.quantity),
                        "refund_status": "SUCCESS" if order.status == REFUNDED else "NO_REFUND",
                        **self._consigned(order),
                    }
                    for n, line in enumerate(order.lines)
                ]
            },
        }
        if full:
            name, phone, state, city, district, address = order.buyer
            trade.update(
                receiver_name=mask_name(name),
                receiver_mobile=mask_phone(phone),
                receiver_state=state,
                receiver_city=city,
                receiver_district=district,
                receiver_address=mask_address(address),
                oaid=hashlib.sha1(phone.encode()).hexdigest(),  # noqa: S324
            )
        return {**trade, **order.override}

    def increment(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "fields", "start_modified", "end_modified")
        start, end = epoch_of(p["start_modified"]), epoch_of(p["end_modified"])
        if end < start or end - start > 86400:
            raise SandboxError("invalid", "start_modified and end_modified must be within one day")
        if start < time.time() - 90 * 86400:
            raise SandboxError("invalid", "only the last three months can be queried")
        page, size = int(p.get("page_no", "1")), int(p.get("page_size", "40"))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size must be 1-100")
        found = self.store.orders_between(shop, start, end, visible=set(STATUS), newest_first=True)
        chunk = [self._render_trade(o, False) for o in found[(page - 1) * size : page * size]]
        body: Json = {"trades": {"trade": chunk}}
        if p.get("use_has_next") == "true":
            body["has_next"] = page * size < len(found)
        else:
            body["total_results"] = len(found)
        return {"trades_sold_increment_get_response": body}

    @staticmethod
    def _consigned(order: SOrder) -> Json:
        """A shipped sub-order names its courier company and waybill (invoice_no)."""
        if order.shipment is None:
            return {}
        code, waybill = order.shipment
        names = {c: n for _, c, n in COMPANIES}
        return {"logistics_company": names.get(code, code), "invoice_no": waybill}

    def refunds_receive(self, shop: str, p: dict[str, str]) -> Json:
        """taobao.refunds.receive.get: the seller's refunds by modified time, newest first."""
        need(p, "fields", "start_modified", "end_modified")
        start, end = epoch_of(p["start_modified"]), epoch_of(p["end_modified"])
        if end < start or end - start > 86400:
            raise SandboxError("invalid", "start_modified and end_modified must be within one day")
        page, size = int(p.get("page_no", "1")), int(p.get("page_size", "40"))
        if not 1 <= size <= 100:
            raise SandboxError("invalid", "page_size must be 1-100")
        found = self.store.refunds_between(shop, start, end, newest_first=True)
        states = {"waiting": "WAIT_SELLER_AGREE", "success": "SUCCESS", "closed": "CLOSED"}
        rows = [
            {
                "refund_id": r.id,
                "tid": int(r.order_id),
                "oid": int(r.order_id) * 10,
                "status": states[r.status],
                "refund_fee": yuan_text(r.amount_fen),
                "has_good_return": r.with_return,
                "reason": r.reason,
                "created": wall(r.created),
                "modified": wall(r.modified),
            }
            for r in found[(page - 1) * size : page * size]
        ]
        body: Json = {"refunds": {"refund": rows}}
        if p.get("use_has_next") == "true":
            body["has_next"] = page * size < len(found)
        else:
            body["total_results"] = len(found)
        return {"refunds_receive_get_response": body}

    def fullinfo(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "tid", "fields")
        order = self.store.orders.get(p["tid"])
        if order is None or order.shop_id != shop:
            raise SandboxError("order_not_found", f"trade {p['tid']} does not exist")
        return {"trade_fullinfo_get_response": {"trade": self._render_trade(order, True)}}

    def offline_send(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "tid", "out_sid", "company_code")
        if p["company_code"] not in {code for _, code, _ in COMPANIES}:
            raise SandboxError("invalid", f"unknown company_code {p['company_code']}")
        self.store.ship(shop, p["tid"], p["company_code"], p["out_sid"])
        return {"logistics_offline_send_response": {"shipping": {"is_success": True}}}

    # Categories, properties, templates --------------------------------------------------------
    def itemcats(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "fields")
        parent = int(p.get("parent_cid") or 0)
        rows = [
            {"cid": c.id, "parent_cid": c.parent, "name": c.name, "is_parent": not c.leaf}
            for c in CATALOGUE.children(parent)
        ]
        return {"itemcats_get_response": {"item_cats": {"item_cat": rows}}}

    def itemprops(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "cid", "fields")
        if CATALOGUE.leaf(int(p["cid"])) is None:
            raise SandboxError("invalid", f"cid {p['cid']} is not a leaf category")
        rows = [
            {
                "pid": a.id,
                "name": a.name,
                "must": a.required,
                "is_sale_prop": a.sale,
                "prop_values": {"prop_value": [{"vid": v, "name": n} for v, n in a.values]},
            }
            for a in CATALOGUE.attrs.get(int(p["cid"]), ())
        ]
        return {"itemprops_get_response": {"item_props": {"item_prop": rows}}}

    def delivery_templates(self, shop: str, p: dict[str, str]) -> Json:
        need(p, "fields")
        rows = [{"template_id": i, "name": n} for i, n in CATALOGUE.templates]
        return {
            "delivery_templates_get_response": {
                "total_results": len(rows),
                "delivery_templates": {"delivery_template": rows},
            }
        }

    def companies(self, shop: str, p: dict[str, Any]) -> Json:
        rows = [{"id": i, "code": c, "name": n} for i, c, n in COMPANIES]
        return {
            "logistics_companies_get_response": {"logistics_companies": {"logistics_company": rows}}
        }


def check_props(cid: str, props: str) -> None:
    """A leaf category is required, and every required property of it must be given."""
    if not cid.isdigit() or CATALOGUE.leaf(int(cid)) is None:
        raise SandboxError("invalid", f"cid {cid} is not a leaf category")
    given = {chunk.split(":", 1)[0] for chunk in props.split(";") if chunk}
    for attr in CATALOGUE.required(int(cid)):
        if str(attr.id) not in given:
            raise SandboxError("missing_arg", f"missing required prop {attr.id} ({attr.name})")


def _rid() -> str:
    return hashlib.md5(str(time.time_ns()).encode()).hexdigest()[:12]  # noqa: S324
