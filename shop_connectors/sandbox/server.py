"""HTTP server shared by the three sandboxes: routing, control endpoint, faults, the page."""

from __future__ import annotations

import html
import json
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from shop_connectors.sandbox.store import SandboxError, Store

Json = dict[str, Any]
Handler = Callable[[str, dict[str, str]], Json]


class Fault(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Gateway:
    """One platform's gateway. Subclasses fill in authentication, envelopes and methods."""

    name = ""
    api_path = ""
    authorize_path = ""
    methods: dict[str, Handler]

    def __init__(self, store: Store) -> None:
        self.store = store

    # Subclass hooks ------------------------------------------------------------------------
    def authenticate(self, params: dict[str, str]) -> tuple[str, str, str]:
        raise NotImplementedError

    def error_body(self, error: SandboxError) -> Json:
        raise NotImplementedError

    def oauth(self, path: str, params: dict[str, str]) -> tuple[int, Json] | None:
        raise NotImplementedError

    def authorize_params(self, params: dict[str, str]) -> tuple[str, str, str]:
        """(app_key, redirect_uri, state) from an authorisation request."""
        raise NotImplementedError

    # Flow --------------------------------------------------------------------------------
    def api(self, params: dict[str, str]) -> Json:
        try:
            method, app_key, shop_id = self.authenticate(params)
            if not self.store.allow(app_key, shop_id, method):
                raise SandboxError("limited", "call limit exceeded")
            self._fault(method, "before")
            handler = self.methods.get(method)
            if handler is None:
                raise SandboxError("bad_method", f"invalid method {method}")
            with self.store.lock:
                body = handler(shop_id, params)
            self._fault(method, "after")
            return body
        except SandboxError as error:
            return self.error_body(error)

    def _fault(self, method: str, phase: str) -> None:
        kind = self.store.pick_fault(method, phase)
        if kind == "latency":
            time.sleep(self.store.faults.latency_ms / 1000)
        elif kind is not None:
            raise Fault(kind)


def control(store: Store, path: str, body: Json) -> Json:
    """The documented control endpoint (see the package docstring)."""
    action = path.removeprefix("/_sandbox/")
    if action == "reset":
        store.reset()
        return {"ok": True}
    if action == "apps":
        store.apps[str(body["app_key"])] = str(body["app_secret"])
        return {"ok": True}
    if action == "shops":
        store.shops[str(body["shop_id"])] = str(body.get("name", body["shop_id"]))
        return {"ok": True}
    if action == "tokens":
        access, refresh = store.grant(
            str(body["app_key"]), str(body["shop_id"]), body.get("expires_in")
        )
        return {"access_token": access, "refresh_token": refresh}
    if action == "config":
        store.token_ttl = int(body.get("token_ttl", store.token_ttl))
        store.refresh_ttl = int(body.get("refresh_ttl", store.refresh_ttl))
        # Ids go on from here (a demo run after a reset must not reuse the last run's ids).
        store.next_id = max(store.next_id, int(body.get("next_id", store.next_id)))
        return {"ok": True}
    if action == "limits":
        with store.lock:
            store.limit_default = body.get("default")
            store.limit_methods = {str(k): int(v) for k, v in (body.get("methods") or {}).items()}
            store.buckets.clear()
        return {"ok": True}
    if action == "faults":
        return _faults(store, body)
    if action in ("seller/delete-item", "seller/off-sale"):
        return _seller_item(store, action, body)
    if action == "orders/seed":
        return {"order_ids": store.seed(str(body["shop_id"]), list(body["orders"]))}
    if action == "orders/override":
        with store.lock:
            order = store.orders[str(body["order_id"])]
            order.override = dict(body.get("fields") or {})
        return {"order_id": order.id}
    if action == "orders/touch":  # set an order's modification time (tests of the PDD lag)
        with store.lock:
            order = store.orders[str(body["order_id"])]
            order.modified = int(body["modified"])
        return {"order_id": order.id}
    if action == "buyer/place":
        order = store.place(str(body["shop_id"]), list(body["lines"]), buyer=body.get("buyer", 0))
        return {"order_id": order.id}
    if action == "after_sales/open":
        refund = store.after_sale_open(
            str(body["order_id"]),
            int(body["amount_fen"]),
            with_return=bool(body.get("with_return", False)),
            reason=str(body.get("reason", "")),
            at=body.get("at"),
        )
        return {"refund_id": refund.id, "status": refund.status}
    if action == "after_sales/settle":
        refund = store.after_sale_settle(
            int(body["refund_id"]), str(body.get("outcome", "success")), at=body.get("at")
        )
        return {"refund_id": refund.id, "status": refund.status}
    if action.startswith("buyer/"):
        order = store.transition(str(body["order_id"]), action.removeprefix("buyer/"))
        return {"order_id": order.id, "status": order.status}
    raise SandboxError("not_found", f"unknown control action {action}")


def _seller_item(store: Store, action: str, body: Json) -> Json:
    """What a seller does by hand in the platform's own seller centre, behind our back."""
    item = store.item_of(str(body["shop_id"]), body["item_id"])
    with store.lock:
        if action == "seller/delete-item":
            for sku_id in item.sku_ids:
                store.skus.pop(sku_id, None)
            del store.items[item.id]
        else:
            item.on_sale = False
            store.touch(item)
    return {"item_id": item.id}


def _faults(store: Store, body: Json) -> Json:
    import random

    with store.lock:
        faults = store.faults
        faults.rate = float(body.get("rate", 0.0))
        faults.kinds = list(body.get("kinds") or [])
        faults.phase = str(body.get("phase", "before"))
        faults.methods = body.get("methods")
        faults.hang_seconds = float(body.get("hang_seconds", 2.0))
        faults.latency_ms = int(body.get("latency_ms", 100))
        faults.remaining = body.get("remaining")
        faults.rng = random.Random(body.get("seed"))
    return {"ok": True}


def state(store: Store) -> Json:
    with store.lock:
        items = [
            {
                "id": i.id,
                "shop_id": i.shop_id,
                "outer_id": i.outer_id,
                "title": i.title,
                "desc": i.desc,
                "on_sale": i.on_sale,
                "skus": [
                    {
                        "id": store.skus[s].id,
                        "outer_id": store.skus[s].outer_id,
                        "price_fen": store.skus[s].price_fen,
                        "stock": store.skus[s].stock,
                    }
                    for s in i.sku_ids
                ],
            }
            for i in store.items.values()
        ]
        orders = [
            {
                "id": o.id,
                "shop_id": o.shop_id,
                "status": o.status,
                "modified": o.modified,
                "total_fen": o.total_fen,
                "shipment": list(o.shipment) if o.shipment else None,
            }
            for o in store.orders.values()
        ]
        refunds = [
            {
                "id": r.id,
                "order_id": r.order_id,
                "amount_fen": r.amount_fen,
                "status": r.status,
                "with_return": r.with_return,
                "modified": r.modified,
            }
            for r in store.refunds.values()
        ]
        return {
            "items": items,
            "orders": orders,
            "refunds": refunds,
            "calls": dict(store.calls),
            "limited": dict(store.limited),
            "faults_injected": store.faults_injected,
        }


def page(store: Store, platform: str) -> str:
    snap = state(store)
    rows = "".join(
        f"<tr><td>{i['id']}</td><td>{html.escape(i['title'])}</td><td>{i['outer_id']}</td>"
        f"<td>{'on sale' if i['on_sale'] else 'off'}</td><td>"
        + "<br>".join(
            f"{s['id']} {html.escape(s['outer_id'])} ¥{s['price_fen'] / 100:.2f} ×{s['stock']}"
            for s in i["skus"]
        )
        + "</td></tr>"
        for i in snap["items"]
    )
    orders = "".join(
        f"<tr><td>{o['id']}</td><td>{o['status']}</td><td>¥{o['total_fen'] / 100:.2f}</td>"
        f"<td>{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(o['modified']))}</td>"
        f'<td class="waybill">{html.escape(" ".join(o["shipment"] or []))}</td><td>'
        + "".join(
            f'<form method="post" action="/_page/{a}" style="display:inline">'
            f'<input type="hidden" name="order_id" value="{o["id"]}"><button>{a}</button></form>'
            for a in ("pay", "cancel", "refund", "confirm")
        )
        + "</td></tr>"
        for o in sorted(snap["orders"], key=lambda o: -o["modified"])[:200]
    )
    shops = "".join(
        f'<option value="{s}">{html.escape(n)}</option>' for s, n in store.shops.items()
    )
    return f"""<!doctype html><meta charset="utf-8"><title>{platform} sandbox</title>
<style>body{{font:14px sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:4px}}
table{{border-collapse:collapse;margin-bottom:2em}}</style>
<h1>{platform} sandbox</h1>
<h2>Place a buyer order</h2>
<form method="post" action="/_page/place">shop <select name="shop_id">{shops}</select>
sku id <input name="sku_id" size="8"> quantity <input name="quantity" value="1" size="3">
<button>place</button></form>
<h2>Items</h2><table><tr><th>id</th><th>title</th><th>outer id</th><th>status</th>
<th>SKUs</th></tr>{rows}</table>
<h2>Orders (newest 200)</h2><table><tr><th>id</th><th>status</th><th>total</th>
<th>modified</th><th>shipment</th><th></th></tr>{orders}</table>"""


def authorize_page(store: Store, action: str, params: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
    )
    shops = "".join(
        f'<option value="{s}">{html.escape(n)}</option>' for s, n in store.shops.items()
    )
    return (
        f'<!doctype html><meta charset="utf-8"><title>Authorise</title><h1>Authorise the app</h1>'
        f'<form method="post" action="{action}">{hidden}<select name="shop_id">{shops}</select>'
        f"<button>authorise</button></form>"
    )


def make_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    store = gateway.store

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms
        # for a delayed ACK on every call.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: request lines carry tokens and signatures."""

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def _read(self) -> tuple[dict[str, str], Json]:
            url = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body: Json = {}
            kind = self.headers.get("Content-Type") or ""
            if raw and "json" in kind:
                body = json.loads(raw.decode("utf-8"))
            elif raw:
                form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
                params.update({k: v[-1] for k, v in form.items()})
            return params, body

        def _route(self, verb: str) -> None:
            path = urlsplit(self.path).path
            try:
                params, body = self._read()
                self._dispatch(verb, path, params, body)
            except SandboxError as error:
                self._json(400, {"error": error.kind, "message": error.message})
            except Fault as fault:
                self._fault(fault.kind)
            except (KeyError, ValueError, TypeError) as error:
                self._json(400, {"error": "bad_request", "message": str(error)})

        def _dispatch(self, verb: str, path: str, params: dict[str, str], body: Json) -> None:
            if path == "/":
                self._send(200, "text/html; charset=utf-8", page(store, gateway.name).encode())
            elif path == "/_sandbox/health":
                self._json(200, {"ok": True, "platform": gateway.name})
            elif path == "/_sandbox/state":
                self._json(200, state(store))
            elif path.startswith("/_sandbox/"):
                self._json(200, control(store, path, body or dict(params)))
            elif path.startswith("/_page/"):
                self._page_action(path.removeprefix("/_page/"), params)
            elif path == gateway.api_path:
                self._json(200, gateway.api(params))
            elif path == gateway.authorize_path:
                self._authorize(verb, params)
            else:
                answer = gateway.oauth(path, {**params, **{k: str(v) for k, v in body.items()}})
                if answer is None:
                    self._json(404, {"error": "not_found"})
                else:
                    self._json(*answer)

        def _authorize(self, verb: str, params: dict[str, str]) -> None:
            if verb == "GET":
                text = authorize_page(store, gateway.authorize_path, params)
                self._send(200, "text/html; charset=utf-8", text.encode())
                return
            app_key, redirect_uri, state_ = gateway.authorize_params(params)
            code = store.issue_code(app_key, params["shop_id"])
            sep = "&" if "?" in redirect_uri else "?"
            location = f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state_})}"
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _page_action(self, action: str, params: dict[str, str]) -> None:
            if action == "place":
                line = {"sku_id": params["sku_id"], "quantity": int(params["quantity"])}
                store.place(params["shop_id"], [line])
            else:
                store.transition(params["order_id"], action)
            self.send_response(303)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _fault(self, kind: str) -> None:
            if kind == "timeout":
                time.sleep(store.faults.hang_seconds)
                self._send(504, "text/html", b"<html>504 Gateway Time-out</html>")
            elif kind == "malformed":
                self._send(200, "application/json", b'{"error_response": {"code": 15, "msg"')
            else:
                self._send(502, "text/html", b"<html>502 Bad Gateway</html>")

        def _json(self, status: int, body: Json) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self._send(status, "application/json;charset=utf-8", data)

        def _send(self, status: int, kind: str, data: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return RequestHandler


def serve(gateway: Gateway, *, host: str, port: int) -> None:
    server = ThreadingHTTPServer((host, port), make_handler(gateway))
    server.daemon_threads = True
    sys.stdout.write(f"{gateway.name} sandbox listening on http://{host}:{server.server_port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
