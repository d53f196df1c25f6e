"""Sandbox state: apps, shops, tokens, items, SKUs, orders, call limits, faults.

Money is kept in fen and times in epoch seconds; each platform module renders them in its own
wire format. Nothing here is imported from the client side of `shop_connectors`.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

UNPAID, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED = (
    "unpaid",
    "paid",
    "shipped",
    "completed",
    "cancelled",
    "refunded",
)

_BUYERS = [
    ("张伟", "13812345678", "山西省", "晋城市", "沁水县", "龙港镇杏园街12号"),
    ("王芳", "13987654321", "北京市", "北京市", "朝阳区", "建国路88号院3号楼"),
    ("李娜", "15011112222", "上海市", "上海市", "浦东新区", "世纪大道100号"),
]


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def mask_address(address: str) -> str:
    return address[:2] + "*" * max(1, len(address) - 2)


@dataclass
class Grant:
    app_key: str
    shop_id: str
    expires_at: float


@dataclass
class SItem:
    id: int
    shop_id: str
    outer_id: str
    title: str
    desc: str
    price_fen: int
    on_sale: bool
    modified: int
    extra: dict[str, Any] = field(default_factory=dict)
    sku_ids: list[int] = field(default_factory=list)


@dataclass
class SSku:
    id: int
    item_id: int
    outer_id: str
    price_fen: int
    stock: int
    props: str = ""


@dataclass
class SLine:
    item_id: int
    sku_id: int
    outer_sku_id: str
    title: str
    price_fen: int
    quantity: int


@dataclass
class SOrder:
    id: str
    shop_id: str
    status: str
    created: int
    modified: int
    lines: list[SLine]
    buyer: tuple[str, str, str, str, str, str]
    paid_at: int | None = None
    shipment: tuple[str, str] | None = None
    # Raw fields the platform shows instead of ours: a status a client may not know yet
    # (Taobao PAID_FORBID_CONSIGN, JD LOCKED...), set through /_sandbox/orders/override.
    override: dict[str, Any] = field(default_factory=dict)

    @property
    def total_fen(self) -> int:
        return sum(line.price_fen * line.quantity for line in self.lines)


@dataclass
class SRefund:
    """An after-sale (refund only, or return and refund) opened by the buyer on one order."""

    id: int
    order_id: str
    shop_id: str
    amount_fen: int
    with_return: bool
    reason: str
    status: str  # waiting | success | closed
    created: int
    modified: int


@dataclass
class Faults:
    rate: float = 0.0
    kinds: list[str] = field(default_factory=list)  # 5xx | timeout | malformed | latency
    phase: str = "before"  # before: not executed; after: executed, answer lost
    methods: list[str] | None = None
    hang_seconds: float = 2.0
    latency_ms: int = 100
    remaining: int | None = None
    rng: random.Random = field(default_factory=random.Random)


class SandboxError(Exception):
    """A platform-level refusal; each platform renders `kind` as its own error code."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Store:
    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.apps: dict[str, str] = {}
            self.shops: dict[str, str] = {}
            self.codes: dict[str, Grant] = {}
            self.tokens: dict[str, Grant] = {}
            self.refresh_tokens: dict[str, Grant] = {}
            self.items: dict[int, SItem] = {}
            self.skus: dict[int, SSku] = {}
            self.orders: dict[str, SOrder] = {}
            self.refunds: dict[int, SRefund] = {}
            self.specs: dict[tuple[int, str], int] = {}
            self.next_id = 1000
            self.token_ttl = 86400
            self.refresh_ttl = 30 * 86400
            self.limit_default: int | None = None
            self.limit_methods: dict[str, int] = {}
            self.buckets: dict[tuple[str, str, str], tuple[float, float]] = {}
            self.calls: dict[str, int] = {}
            self.limited: dict[str, int] = {}
            self.faults = Faults()
            self.faults_injected = 0

    def new_id(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id

    # Auth -------------------------------------------------------------------------------
    def grant(self, app_key: str, shop_id: str, ttl: float | None = None) -> tuple[str, str]:
        with self.lock:
            access, refresh = secrets.token_hex(16), secrets.token_hex(16)
            now = time.time()
            life = self.token_ttl if ttl is None else ttl
            self.tokens[access] = Grant(app_key, shop_id, now + life)
            self.refresh_tokens[refresh] = Grant(app_key, shop_id, now + self.refresh_ttl)
            return access, refresh

    def issue_code(self, app_key: str, shop_id: str) -> str:
        if app_key not in self.apps or shop_id not in self.shops:
            raise SandboxError("invalid_client", "unknown app or shop")
        code = secrets.token_hex(8)
        self.codes[code] = Grant(app_key, shop_id, time.time() + 600)
        return code

    def redeem_code(self, app_key: str, secret: str, code: str) -> Grant:
        with self.lock:
            if self.apps.get(app_key) != secret:
                raise SandboxError("invalid_client", "invalid client credentials")
            grant = self.codes.pop(code, None)
            if grant is None or grant.app_key != app_key or grant.expires_at < time.time():
                raise SandboxError("invalid_grant", "invalid or used authorization code")
            return grant

    def redeem_refresh(self, app_key: str, secret: str, refresh: str) -> Grant:
        with self.lock:
            if self.apps.get(app_key) != secret:
                raise SandboxError("invalid_client", "invalid client credentials")
            grant = self.refresh_tokens.pop(refresh, None)
            if grant is None or grant.app_key != app_key or grant.expires_at < time.time():
                raise SandboxError("invalid_grant", "invalid or expired refresh token")
            return grant

    def token_shop(self, app_key: str, token: str) -> str:
        grant = self.tokens.get(token)
        if grant is None or grant.app_key != app_key:
            raise SandboxError("token_invalid", "invalid access token")
        if grant.expires_at < time.time():
            raise SandboxError("token_expired", "access token expired")
        return grant.shop_id

    # Limits and faults --------------------------------------------------------------------
    def allow(self, app_key: str, shop_id: str, method: str) -> bool:
        """A bucket holding `limit` calls, refilled at `limit` per second."""
        with self.lock:
            self.calls[method] = self.calls.get(method, 0) + 1
            limit = self.limit_methods.get(method, self.limit_default)
            if not limit:
                return True
            key = (app_key, shop_id, method)
            now = time.monotonic()
            tokens, stamp = self.buckets.get(key, (float(limit), now))
            tokens = min(float(limit), tokens + (now - stamp) * limit)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, now)
                return True
            self.buckets[key] = (tokens, now)
            self.limited[method] = self.limited.get(method, 0) + 1
            return False

    def pick_fault(self, method: str, phase: str) -> str | None:
        with self.lock:
            f = self.faults
            if not f.kinds or f.rate <= 0 or f.phase != phase:
                return None
            if f.methods is not None and method not in f.methods:
                return None
            if f.remaining is not None and f.remaining <= 0:
                return None
            if f.rng.random() >= f.rate:
                return None
            if f.remaining is not None:
                f.remaining -= 1
            self.faults_injected += 1
            return f.rng.choice(f.kinds)

    # Catalogue ----------------------------------------------------------------------------
    def add_item(self, shop_id: str, item: dict[str, Any], skus: list[dict[str, Any]]) -> SItem:
        with self.lock:
            if not skus:
                raise SandboxError("invalid", "at least one SKU is required")
            new = SItem(
                id=self.new_id(),
                shop_id=shop_id,
                outer_id=str(item.get("outer_id", "")),
                title=str(item["title"]),
                desc=str(item.get("desc", "")),
                price_fen=int(item["price_fen"]),
                on_sale=bool(item.get("on_sale", True)),
                modified=int(time.time()),
                extra=dict(item.get("extra") or {}),
            )
            self.items[new.id] = new
            for raw in skus:
                sku = SSku(
                    id=self.new_id(),
                    item_id=new.id,
                    outer_id=str(raw.get("outer_id", "")),
                    price_fen=int(raw["price_fen"]),
                    stock=int(raw["stock"]),
                    props=str(raw.get("props", "")),
                )
                self.skus[sku.id] = sku
                new.sku_ids.append(sku.id)
            return new

    def item_of(self, shop_id: str, item_id: object) -> SItem:
        try:
            item = self.items.get(int(str(item_id)))
        except ValueError:
            item = None
        if item is None or item.shop_id != shop_id:
            raise SandboxError("item_not_found", f"item {item_id} does not exist")
        return item

    def sku_of(self, item: SItem, *, sku_id: object = None, outer_id: object = None) -> SSku:
        for sid in item.sku_ids:
            sku = self.skus[sid]
            if (sku_id is not None and str(sku.id) == str(sku_id)) or (
                outer_id is not None and sku.outer_id == str(outer_id)
            ):
                return sku
        raise SandboxError("sku_not_found", f"sku {sku_id or outer_id} does not exist")

    def touch(self, item: SItem) -> None:
        item.modified = int(time.time())

    def shop_items(self, shop_id: str) -> list[SItem]:
        with self.lock:
            return sorted(
                (i for i in self.items.values() if i.shop_id == shop_id), key=lambda i: i.id
            )

    # Orders --------------------------------------------------------------------------------
    def _order_id(self) -> str:
        n = self.new_id()
        if self.platform == "pinduoduo":
            return time.strftime("%y%m%d", time.localtime()) + f"-{n:015d}"
        base = 2_000_000_000_000 if self.platform == "taobao" else 300_000_000_000
        return str(base + n)

    def place(
        self, shop_id: str, lines: list[dict[str, Any]], *, at: int | None = None, buyer: int = 0
    ) -> SOrder:
        with self.lock:
            built = []
            for raw in lines:
                sku = self._find_sku(shop_id, raw)
                quantity = int(raw.get("quantity", 1))
                if sku.stock < quantity:
                    raise SandboxError("invalid", f"sku {sku.id} has only {sku.stock} in stock")
                item = self.items[sku.item_id]
                built.append(
                    SLine(item.id, sku.id, sku.outer_id, item.title, sku.price_fen, quantity)
                )
            for line in built:
                self.skus[line.sku_id].stock -= line.quantity
            return self._new_order(shop_id, built, at=at, buyer=buyer, status=UNPAID)

    def _find_sku(self, shop_id: str, raw: dict[str, Any]) -> SSku:
        for sku in self.skus.values():
            if self.items[sku.item_id].shop_id != shop_id:
                continue
            if str(sku.id) == str(raw.get("sku_id")) or sku.outer_id == raw.get("outer_sku_id"):
                return sku
        raise SandboxError("sku_not_found", "sku does not exist")

    def _new_order(
        self, shop_id: str, lines: list[SLine], *, at: int | None, buyer: int, status: str
    ) -> SOrder:
        moment = int(time.time()) if at is None else at
        order = SOrder(
            id=self._order_id(),
            shop_id=shop_id,
            status=status,
            created=moment,
            modified=moment,
            lines=lines,
            buyer=_BUYERS[buyer % len(_BUYERS)],
            paid_at=moment if status != UNPAID else None,
        )
        self.orders[order.id] = order
        return order

    def seed(self, shop_id: str, specs: list[dict[str, Any]]) -> list[str]:
        """Bulk orders at given modification times (epoch seconds), paid by default."""
        with self.lock:
            ids = []
            for n, spec in enumerate(specs):
                line = SLine(0, 0, "SEED-1", "沁水小米 500g", int(spec.get("price_fen", 1990)), 1)
                order = self._new_order(
                    shop_id,
                    [line],
                    at=int(spec["modified"]),
                    buyer=n,
                    status=str(spec.get("status", PAID)),
                )
                ids.append(order.id)
            return ids

    def transition(self, order_id: str, action: str, *, at: int | None = None) -> SOrder:
        allowed = {
            "pay": ({UNPAID}, PAID),
            "cancel": ({UNPAID}, CANCELLED),
            "refund": ({PAID, SHIPPED}, REFUNDED),
            "confirm": ({SHIPPED}, COMPLETED),
        }
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise SandboxError("order_not_found", f"order {order_id} does not exist")
            sources, target = allowed[action]
            if order.status not in sources:
                raise SandboxError("invalid", f"cannot {action} an order that is {order.status}")
            order.status = target
            order.modified = int(time.time()) if at is None else at
            if target == REFUNDED:
                # The whole order refunded at once: whatever is still open is paid back.
                left = order.total_fen - self._refunded_fen(order.id)
                for refund in self._order_refunds(order.id):
                    if refund.status == "waiting":
                        refund.status, refund.modified = "closed", order.modified
                if left > 0:
                    self._new_refund(order, left, False, "整单退款", "success", order.modified)
            if target == PAID:
                order.paid_at = order.modified
            if target in (CANCELLED, REFUNDED):
                for line in order.lines:
                    if line.sku_id in self.skus:
                        self.skus[line.sku_id].stock += line.quantity
            return order

    def ship(self, shop_id: str, order_id: str, courier: str, waybill: str) -> SOrder:
        with self.lock:
            order = self.orders.get(order_id)
            if order is None or order.shop_id != shop_id:
                raise SandboxError("order_not_found", f"order {order_id} does not exist")
            if order.status != PAID:
                raise SandboxError("invalid", f"order {order_id} is {order.status}, not paid")
            order.status = SHIPPED
            order.shipment = (courier, waybill)
            order.modified = int(time.time())
            return order

    # After-sales -------------------------------------------------------------------------
    def _order_refunds(self, order_id: str) -> list[SRefund]:
        return [r for r in self.refunds.values() if r.order_id == order_id]

    def _refunded_fen(self, order_id: str, *, statuses: tuple[str, ...] = ("success",)) -> int:
        return sum(r.amount_fen for r in self._order_refunds(order_id) if r.status in statuses)

    def _new_refund(
        self, order: SOrder, amount: int, with_return: bool, reason: str, status: str, at: int
    ) -> SRefund:
        refund = SRefund(
            self.new_id(), order.id, order.shop_id, amount, with_return, reason, status, at, at
        )
        self.refunds[refund.id] = refund
        return refund

    def after_sale_open(
        self,
        order_id: str,
        amount_fen: int,
        *,
        with_return: bool = False,
        reason: str = "",
        at: int | None = None,
    ) -> SRefund:
        """The buyer asks for part (or all) of what they paid back; never more than is left."""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise SandboxError("order_not_found", f"order {order_id} does not exist")
            if order.status not in (PAID, SHIPPED, COMPLETED):
                raise SandboxError("invalid", f"order {order_id} is {order.status}")
            left = order.total_fen - self._refunded_fen(order_id, statuses=("success", "waiting"))
            if not 0 < amount_fen <= left:
                raise SandboxError("invalid", f"refund must be 0 < amount <= {left} fen")
            moment = int(time.time()) if at is None else at
            order.modified = moment
            return self._new_refund(order, amount_fen, with_return, reason, "waiting", moment)

    def after_sale_settle(self, refund_id: int, outcome: str, *, at: int | None = None) -> SRefund:
        """The seller (or the platform) agrees (success) or the buyer withdraws (closed).
        When the refunds reach the whole payment, the order itself is refunded."""
        with self.lock:
            refund = self.refunds.get(refund_id)
            if refund is None:
                raise SandboxError("invalid", f"refund {refund_id} does not exist")
            if refund.status != "waiting" or outcome not in ("success", "closed"):
                raise SandboxError("invalid", f"refund {refund_id} is {refund.status}")
            moment = int(time.time()) if at is None else at
            refund.status, refund.modified = outcome, moment
            order = self.orders[refund.order_id]
            order.modified = moment
            if outcome == "success" and self._refunded_fen(order.id) >= order.total_fen:
                order.status = REFUNDED
                for line in order.lines:
                    if line.sku_id in self.skus:
                        self.skus[line.sku_id].stock += line.quantity
            return refund

    def refunds_between(
        self, shop_id: str, start: int, end: int, *, newest_first: bool, by: str = "modified"
    ) -> list[SRefund]:
        with self.lock:
            found = [
                r
                for r in self.refunds.values()
                if r.shop_id == shop_id and start <= getattr(r, by) <= end
            ]
        found.sort(key=lambda r: (getattr(r, by), r.id), reverse=newest_first)
        return found

    def orders_between(
        self, shop_id: str, start: int, end: int, *, visible: set[str], newest_first: bool
    ) -> list[SOrder]:
        with self.lock:
            found = [
                o
                for o in self.orders.values()
                if o.shop_id == shop_id and start <= o.modified <= end and o.status in visible
            ]
        found.sort(key=lambda o: (o.modified, o.id), reverse=newest_first)
        return found
