"""Payment gateway sandbox: signed merchant API, a hosted pay page, signed notify callbacks.

Protocol (full reference and a worked signature example in docs/sandboxes.md):
  POST /v1/payments                 signed JSON -> 201 payment (200 when replayed)
  GET  /v1/payments/{id}?...        signed query -> 200 payment
  POST /v1/payments/{id}/close      signed JSON -> 200 payment (pending -> closed)
  POST /v1/refunds                  signed JSON -> 201 refund (200 when replayed)
  GET  /pay/{id}                    the hosted page (收银台); POST /pay/{id}/confirm | /cancel
  notify: POST JSON to notify_url when paid, retried with backoff until it answers 200 `success`
  /v1/_sandbox/...                  unsigned, loopback-only inspection and control for tests
  GET  /healthz                     -> 200 {"ok": true}

Every merchant request carries mch_id, timestamp (Unix seconds, within ±5 min), nonce and
sign = hex HMAC-SHA256(secret, canonical string); see `sign`. All parameter values are strings.

Run: python -m sandboxes.payment --port 8026 --mch-id qinshui-demo --secret qinshui-demo-secret
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

AMOUNT = re.compile(r"^(0|[1-9]\d{0,8})\.\d{2}$")
MERCHANT_NO = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
NONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TIMESTAMP = re.compile(r"^\d{1,12}$")
TIMESTAMP_WINDOW = 300
MAX_BODY = 64 * 1024
NOTIFY_TIMEOUT = 5
Json = dict[str, Any]


def canonical(params: dict[str, str]) -> str:
    """All parameters except `sign`, empty values skipped, sorted by key, `k=v` joined by `&`.
    Raw UTF-8 text: nothing is URL-encoded."""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")


def sign(params: dict[str, str], secret: str) -> str:
    """Lower-case hex HMAC-SHA256 of the canonical string, keyed by the merchant's secret."""
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def _amount(value: str) -> Decimal:
    if not AMOUNT.match(value) or Decimal(value) <= 0:
        raise ApiError(400, "AMOUNT_INVALID", 'amount must be a positive yuan string like "59.80"')
    return Decimal(value)


def _url(params: dict[str, str], name: str) -> str:
    value = params.get(name, "")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(400, "PARAM_INVALID", f"{name} must be an http(s) URL")
    return value


def _field(params: dict[str, str], name: str, pattern: re.Pattern[str]) -> str:
    value = params.get(name, "")
    if not pattern.match(value):
        raise ApiError(400, "PARAM_INVALID", f"{name} is missing or malformed")
    return value


@dataclass
class Payment:
    payment_id: str
    mch_id: str
    out_trade_no: str
    amount: Decimal
    subject: str
    notify_url: str
    return_url: str
    pay_url: str
    created_at: str
    status: str = "pending"  # pending -> paid | closed
    paid_at: str | None = None
    closed_at: str | None = None
    refunded: Decimal = Decimal("0.00")
    notify_body: dict[str, str] | None = None
    notify_status: str = "none"  # none -> sending -> delivered | failed

    def view(self) -> Json:
        return {
            "payment_id": self.payment_id,
            "mch_id": self.mch_id,
            "out_trade_no": self.out_trade_no,
            "amount": str(self.amount),
            "currency": "CNY",
            "subject": self.subject,
            "status": self.status,
            "pay_url": self.pay_url,
            "created_at": self.created_at,
            "paid_at": self.paid_at,
            "closed_at": self.closed_at,
            "refunded_amount": str(self.refunded),
        }


@dataclass
class Refund:
    refund_id: str
    out_refund_no: str
    payment: Payment
    amount: Decimal
    reason: str
    created_at: str = field(default_factory=_now)

    def view(self) -> Json:
        return {
            "refund_id": self.refund_id,
            "out_refund_no": self.out_refund_no,
            "payment_id": self.payment.payment_id,
            "out_trade_no": self.payment.out_trade_no,
            "amount": str(self.amount),
            "currency": "CNY",
            "reason": self.reason,
            "status": "succeeded",
            "created_at": self.created_at,
        }


class Gateway:
    """The sandbox's state; one lock guards it, and no HTTP call is made while holding it."""

    def __init__(self, merchants: dict[str, str], public_url: str, retries: int, backoff_ms: int):
        self.merchants, self.public_url = merchants, public_url.rstrip("/")
        self.retries, self.backoff_ms = retries, backoff_ms
        self.lock = threading.Lock()
        self.payments: dict[str, Payment] = {}
        self.by_trade: dict[tuple[str, str], Payment] = {}
        self.refunds: dict[tuple[str, str], Refund] = {}
        self.notifications: list[Json] = []
        self.fail_next = 0
        self.delay_ms = 0
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # Merchant API --------------------------------------------------------------------------
    def authenticate(self, params: dict[str, str]) -> str:
        mch_id = params.get("mch_id", "")
        secret = self.merchants.get(mch_id)
        if secret is None:
            raise ApiError(401, "MCH_INVALID", "unknown mch_id")
        if not hmac.compare_digest(params.get("sign", ""), sign(params, secret)):
            raise ApiError(401, "SIGN_INVALID", "signature does not match")
        timestamp = _field(params, "timestamp", TIMESTAMP)
        if abs(time.time() - int(timestamp)) > TIMESTAMP_WINDOW:
            raise ApiError(401, "TIMESTAMP_EXPIRED", "timestamp is more than 5 minutes off")
        _field(params, "nonce", NONCE)
        return mch_id

    def payment_create(self, params: dict[str, str]) -> tuple[Payment, bool]:
        mch_id = self.authenticate(params)
        out_trade_no = _field(params, "out_trade_no", MERCHANT_NO)
        amount = _amount(params.get("amount", ""))
        if params.get("currency") != "CNY":
            raise ApiError(400, "PARAM_INVALID", "currency must be CNY")
        subject = params.get("subject", "").strip()
        if not subject or len(subject) > 128:
            raise ApiError(400, "PARAM_INVALID", "subject must be 1 to 128 characters")
        notify_url, return_url = _url(params, "notify_url"), _url(params, "return_url")
        with self.lock:
            existing = self.by_trade.get((mch_id, out_trade_no))
            if existing is not None:
                if existing.amount != amount:
                    raise ApiError(409, "OUT_TRADE_NO_CONFLICT", "out_trade_no has another amount")
                return existing, False
            payment_id = _new_id("pay")
            payment = Payment(
                payment_id, mch_id, out_trade_no, amount, subject, notify_url, return_url,
                f"{self.public_url}/pay/{payment_id}", _now(),
            )  # fmt: skip
            self.payments[payment_id] = self.by_trade[(mch_id, out_trade_no)] = payment
        _announce(f"[PAY] created {payment_id} {out_trade_no} ¥{amount} ({mch_id}) {subject}")
        return payment, True

    def payment_get(self, mch_id: str | None, payment_id: str) -> Payment:
        payment = self.payments.get(payment_id)
        if payment is None or (mch_id is not None and payment.mch_id != mch_id):
            raise ApiError(404, "PAYMENT_NOT_FOUND", "no such payment")
        return payment

    def payment_close(self, params: dict[str, str], payment_id: str) -> Payment:
        mch_id = self.authenticate(params)
        with self.lock:
            payment = self.payment_get(mch_id, payment_id)
            if payment.status == "paid":
                raise ApiError(409, "PAYMENT_ALREADY_PAID", "a paid payment cannot be closed")
            if payment.status == "pending":
                payment.status, payment.closed_at = "closed", _now()
        _announce(f"[PAY] closed {payment_id} {payment.out_trade_no}")
        return payment

    def payment_pay(self, payment_id: str) -> Payment:
        """The buyer confirms: pending -> paid, then the notify goes out in the background."""
        with self.lock:
            payment = self.payment_get(None, payment_id)
            if payment.status == "closed":
                raise ApiError(409, "PAYMENT_CLOSED", "the merchant closed this payment")
            if payment.status == "paid":
                return payment
            payment.status, payment.paid_at = "paid", _now()
            payment.notify_body = self._notify_body(payment)
            payment.notify_status = "sending"
        _announce(f"[PAY] paid {payment_id} {payment.out_trade_no} ¥{payment.amount}")
        threading.Thread(target=self._notify_loop, args=(payment,), daemon=True).start()
        return payment

    def refund_create(self, params: dict[str, str]) -> tuple[Refund, bool]:
        mch_id = self.authenticate(params)
        out_refund_no = _field(params, "out_refund_no", MERCHANT_NO)
        amount = _amount(params.get("amount", ""))
        reason = params.get("reason", "")
        if len(reason) > 256:
            raise ApiError(400, "PARAM_INVALID", "reason is longer than 256 characters")
        with self.lock:
            payment = self._refund_target(mch_id, params)
            existing = self.refunds.get((mch_id, out_refund_no))
            if existing is not None:
                if existing.payment is not payment or existing.amount != amount:
                    raise ApiError(
                        409, "OUT_REFUND_NO_CONFLICT", "out_refund_no was used for another refund"
                    )
                return existing, False
            if payment.status != "paid":
                raise ApiError(409, "PAYMENT_NOT_PAID", "only a paid payment can be refunded")
            if payment.refunded + amount > payment.amount:
                raise ApiError(409, "REFUND_EXCEEDS_PAYMENT", "refunds would exceed the payment")
            refund = Refund(_new_id("rfd"), out_refund_no, payment, amount, reason)
            self.refunds[(mch_id, out_refund_no)] = refund
            payment.refunded += amount
        _announce(f"[REFUND] {refund.refund_id} {payment.payment_id} ¥{amount} {reason}")
        return refund, True

    def _refund_target(self, mch_id: str, params: dict[str, str]) -> Payment:
        payment_id, out_trade_no = params.get("payment_id", ""), params.get("out_trade_no", "")
        if not payment_id and not out_trade_no:
            raise ApiError(400, "PARAM_INVALID", "payment_id or out_trade_no is required")
        payment = self.payments.get(payment_id) if payment_id else None
        if not payment_id:
            payment = self.by_trade.get((mch_id, out_trade_no))
        if payment is None or payment.mch_id != mch_id:
            raise ApiError(404, "PAYMENT_NOT_FOUND", "no such payment")
        if out_trade_no and payment.out_trade_no != out_trade_no:
            raise ApiError(400, "PARAM_INVALID", "payment_id and out_trade_no disagree")
        return payment

    # Notify --------------------------------------------------------------------------------
    def _notify_body(self, payment: Payment) -> dict[str, str]:
        body = {
            "notify_id": _new_id("ntf"),
            "notify_type": "payment.paid",
            "mch_id": payment.mch_id,
            "payment_id": payment.payment_id,
            "out_trade_no": payment.out_trade_no,
            "amount": str(payment.amount),
            "currency": "CNY",
            "status": "paid",
            "paid_at": payment.paid_at or "",
            "timestamp": str(int(time.time())),
            "nonce": uuid.uuid4().hex,
        }
        body["sign"] = sign(body, self.merchants[payment.mch_id])
        return body

    def _notify_loop(self, payment: Payment) -> None:
        for attempt in range(1, self.retries + 2):
            if self.notify_send(payment, attempt=attempt, replay=False)["delivered"]:
                with self.lock:
                    payment.notify_status = "delivered"
                return
            if attempt <= self.retries:
                time.sleep(self.backoff_ms * 2 ** (attempt - 1) / 1000)
        with self.lock:
            payment.notify_status = "failed"
        _announce(f"[NOTIFY] gave up on {payment.payment_id} after {self.retries + 1} attempts")

    def notify_send(self, payment: Payment, *, attempt: int, replay: bool) -> Json:
        """One POST of the payment's notify body (the same bytes on every attempt)."""
        assert payment.notify_body is not None
        with self.lock:
            delay_ms, injected = self.delay_ms, self.fail_next > 0
            self.fail_next = max(0, self.fail_next - 1)
        time.sleep(delay_ms / 1000)
        status, text, error = self._post(payment.notify_url, payment.notify_body, injected)
        record = {
            "notify_id": payment.notify_body["notify_id"],
            "payment_id": payment.payment_id,
            "attempt": attempt,
            "replay": replay,
            "url": payment.notify_url,
            "body": payment.notify_body,
            "response_status": status,
            "response_body": text,
            "error": error,
            "delivered": status == 200 and text.strip() == "success",
            "sent_at": _now(),
        }
        with self.lock:
            self.notifications.append(record)
        outcome = error or f"{status} {text.strip()[:40]!r}"
        _announce(f"[NOTIFY] {payment.payment_id} attempt {attempt} -> {outcome}")
        return record

    def _post(self, url: str, body: dict[str, str], injected: bool) -> tuple[int | None, str, str]:
        if injected:
            return None, "", "injected failure (not sent)"
        data = json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 (notify_url was checked to be http(s))
            url, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with self._opener.open(request, timeout=NOTIFY_TIMEOUT) as response:
                return response.status, response.read(1024).decode(errors="replace"), ""
        except urllib.error.HTTPError as failure:
            return failure.code, failure.read(1024).decode(errors="replace"), ""
        except (OSError, ValueError) as failure:
            return None, "", f"{type(failure).__name__}: {failure}"

    # Sandbox control -----------------------------------------------------------------------
    def control(self, body: Any) -> Json:
        keys = ("notify_fail_next", "notify_delay_ms")
        given = {k: body[k] for k in keys if k in body} if isinstance(body, dict) else None
        if given is None or any(type(v) is not int or v < 0 for v in given.values()):
            raise ApiError(400, "PARAM_INVALID", f"{' and '.join(keys)} are integers >= 0")
        with self.lock:
            if body.get("reset") is True:  # notifies already in flight still finish
                self.payments.clear()
                self.by_trade.clear()
                self.refunds.clear()
                self.notifications.clear()
                self.fail_next = self.delay_ms = 0
            self.fail_next = given.get("notify_fail_next", self.fail_next)
            self.delay_ms = given.get("notify_delay_ms", self.delay_ms)
            return {"notify_fail_next": self.fail_next, "notify_delay_ms": self.delay_ms}

    def sandbox_payments(self) -> list[Json]:
        with self.lock:
            refunds = list(self.refunds.values())
            return [
                p.view()
                | {"notify_status": p.notify_status, "notify_url": p.notify_url}
                | {"refunds": [r.view() for r in refunds if r.payment is p]}
                for p in reversed(self.payments.values())
            ]


STATUS_LABEL = {"pending": "待支付", "paid": "已支付", "closed": "已关闭"}
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>收银台 · 支付沙箱</title>
<style>body{{font-family:sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem}}
.amount{{font-size:2rem;color:#c40}} button{{width:100%;padding:.8rem;margin:.3rem 0}}
.note{{color:#888;font-size:.8rem}}</style></head>
<body><main>
<h1>收银台 <small>Checkout</small></h1>
<p id="pay-subject">{subject}</p>
<p class="amount">¥<span id="pay-amount">{amount}</span></p>
<p>商户 {mch_id} · 订单号 {out_trade_no}</p>
<p id="pay-status" data-status="{status}">{label}</p>
{actions}
<p class="note">支付沙箱：不会产生真实扣款。Sandbox: no money moves.</p>
</main></body></html>
"""
ACTIONS = """<form method="post" action="/pay/{id}/confirm">
<button id="pay-confirm" type="submit">确认支付</button></form>
<form method="post" action="/pay/{id}/cancel">
<button id="pay-cancel" type="submit">取消支付</button></form>"""


def pay_page(payment: Payment) -> str:
    actions = ACTIONS.format(id=payment.payment_id) if payment.status == "pending" else ""
    values = {
        "subject": payment.subject,
        "amount": str(payment.amount),
        "mch_id": payment.mch_id,
        "out_trade_no": payment.out_trade_no,
        "status": payment.status,
        "label": STATUS_LABEL[payment.status],
    }
    escaped = {k: html.escape(v) for k, v in values.items()}
    return PAGE.format(actions=actions, **escaped)


def return_to(payment: Payment, result: str) -> str:
    """return_url with payment_id, out_trade_no and result appended (informational only)."""
    parts = urlsplit(payment.return_url)
    added = [("payment_id", payment.payment_id), ("out_trade_no", payment.out_trade_no)]
    query = [*parse_qsl(parts.query, keep_blank_values=True), *added, ("result", result)]
    return urlunsplit(parts._replace(query=urlencode(query)))


PAYMENT_PATH = re.compile(r"^/v1/payments/([A-Za-z0-9_]+)$")
CLOSE_PATH = re.compile(r"^/v1/payments/([A-Za-z0-9_]+)/close$")
PAGE_PATH = re.compile(r"^/pay/([A-Za-z0-9_]+)(?:/(confirm|cancel))?$")
SANDBOX_ACTION = re.compile(r"^/v1/_sandbox/payments/([A-Za-z0-9_]+)/(pay|replay_notify)$")


def _params(raw: Any) -> dict[str, str]:
    """A request's parameters: a JSON object whose values are all strings."""
    if not isinstance(raw, dict):
        raise ApiError(400, "PARAM_INVALID", "the body must be a JSON object")
    for key, value in raw.items():
        if not isinstance(value, str):
            code = "AMOUNT_INVALID" if key == "amount" else "PARAM_INVALID"
            raise ApiError(400, code, f"{key} must be a string")
    return raw


def make_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "payment-sandbox/1"
        protocol_version = "HTTP/1.1"  # keep-alive: every answer carries Content-Length
        # Headers and body go out in two writes: with Nagle on, the body waits for the
        # client's delayed ACK of the headers (~40 ms a call), as no real gateway does.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return  # one line per payment, notify and refund is printed by _announce

        def _send(self, status: int, body: Json, content_type: str = "application/json") -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self._raw(status, data, f"{content_type}; charset=utf-8")

        def _raw(self, status: int, data: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise ApiError(400, "PARAM_INVALID", "body too large")
            return self.rfile.read(length)

        def _json(self) -> Any:
            try:
                return json.loads(self._body() or b"null")
            except ValueError as error:
                raise ApiError(400, "PARAM_INVALID", "the body is not JSON") from error

        def _query(self) -> dict[str, str]:
            pairs = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if any(len(values) > 1 for values in pairs.values()):
                raise ApiError(400, "PARAM_INVALID", "a query parameter is repeated")
            return {key: values[0] for key, values in pairs.items()}

        def _loopback(self) -> None:
            if self.client_address[0] not in ("127.0.0.1", "::1"):
                raise ApiError(403, "FORBIDDEN", "sandbox control is loopback-only")

        def _dispatch(self, route: Any) -> None:
            try:
                route(urlsplit(self.path).path)
            except ApiError as error:
                self._send(error.status, {"code": error.code, "message": error.message})

        def do_GET(self) -> None:
            self._dispatch(self._get)

        def do_POST(self) -> None:
            self._dispatch(self._post)

        def _get(self, path: str) -> None:
            if path == "/healthz":
                self._send(200, {"ok": True})
            elif match := PAYMENT_PATH.match(path):
                mch_id = gateway.authenticate(self._query())
                self._send(200, gateway.payment_get(mch_id, match[1]).view())
            elif (match := PAGE_PATH.match(path)) and match[2] is None:
                page = pay_page(gateway.payment_get(None, match[1]))
                self._raw(200, page.encode(), "text/html; charset=utf-8")
            elif path == "/v1/_sandbox/payments":
                self._loopback()
                self._send(200, {"payments": gateway.sandbox_payments()})
            elif path == "/v1/_sandbox/notifications":
                self._loopback()
                with gateway.lock:
                    rows = list(gateway.notifications)
                self._send(200, {"notifications": rows})
            else:
                raise ApiError(404, "NOT_FOUND", "no such endpoint")

        def _post(self, path: str) -> None:
            if (match := PAGE_PATH.match(path)) and match[2] is not None:
                self._body()  # the form carries nothing we need
                self._page_action(match[1], match[2])
            elif path == "/v1/payments":
                payment, created = gateway.payment_create(_params(self._json()))
                self._send(201 if created else 200, payment.view())
            elif match := CLOSE_PATH.match(path):
                self._send(200, gateway.payment_close(_params(self._json()), match[1]).view())
            elif path == "/v1/refunds":
                refund, created = gateway.refund_create(_params(self._json()))
                self._send(201 if created else 200, refund.view())
            else:
                self._loopback()
                self._sandbox_post(path)

        def _sandbox_post(self, path: str) -> None:
            if path == "/v1/_sandbox/control":
                self._send(200, gateway.control(self._json()))
            elif (match := SANDBOX_ACTION.match(path)) and match[2] == "pay":
                self._send(200, gateway.payment_pay(match[1]).view())
            elif match := SANDBOX_ACTION.match(path):
                payment = gateway.payment_get(None, match[1])
                if payment.status != "paid":
                    raise ApiError(409, "PAYMENT_NOT_PAID", "only a paid payment has a notify")
                self._send(200, gateway.notify_send(payment, attempt=0, replay=True))
            else:
                raise ApiError(404, "NOT_FOUND", "no such endpoint")

        def _page_action(self, payment_id: str, action: str) -> None:
            payment = gateway.payment_get(None, payment_id)
            if action == "confirm":
                try:
                    payment = gateway.payment_pay(payment_id)
                except ApiError:
                    self._raw(409, pay_page(payment).encode(), "text/html; charset=utf-8")
                    return
            result = "paid" if action == "confirm" else "cancelled"
            self._raw(303, b"", "text/plain", Location=return_to(payment, result))

    return Handler


def _announce(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _Server(ThreadingHTTPServer):
    # A real gateway accepts a crowd's connections at once; the stdlib's backlog of 5 would
    # drop SYNs under 100 concurrent checkouts and turn them into 3 s connect timeouts.
    request_queue_size = 256
    daemon_threads = True


def serve(host: str, port: int, gateway_for: Any) -> ThreadingHTTPServer:
    """Bind first (port 0 picks one), then build the gateway, which needs the public URL."""
    server = _Server((host, port), BaseHTTPRequestHandler)
    server.RequestHandlerClass = make_handler(gateway_for(server.server_port))
    server.daemon_threads = True
    return server


def _merchant(value: str) -> tuple[str, str]:
    mch_id, _, secret = value.partition(":")
    if not MERCHANT_NO.match(mch_id) or not secret:
        raise argparse.ArgumentTypeError("expected MCH_ID:SECRET")
    return mch_id, secret


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Payment gateway sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8026)
    parser.add_argument("--mch-id", default="qinshui-demo")
    parser.add_argument("--secret", default="qinshui-demo-secret")
    parser.add_argument("--merchant", type=_merchant, action="append", default=[],
                        help="another merchant as MCH_ID:SECRET (repeatable)")  # fmt: skip
    parser.add_argument("--public-url", help="base of pay_url (default http://HOST:PORT)")
    parser.add_argument("--notify-retries", type=int, default=5)
    parser.add_argument("--notify-backoff-ms", type=int, default=1000)
    args = parser.parse_args(argv)
    merchants = {args.mch_id: args.secret, **dict(args.merchant)}

    def gateway_for(port: int) -> Gateway:
        public_url = args.public_url or f"http://{args.host}:{port}"
        return Gateway(merchants, public_url, args.notify_retries, args.notify_backoff_ms)

    server = serve(args.host, args.port, gateway_for)
    _announce(f"Payment sandbox listening on http://{args.host}:{server.server_port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
