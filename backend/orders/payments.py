"""Payments through a `PaymentProvider`. The shipped provider speaks the payment sandbox's
protocol (docs/sandboxes.md "Payment gateway"); its signer is our own implementation of the
documented rule, never shared with the sandbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import requests
import urllib3
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from backend.common.errors import DomainError, Unavailable
from backend.common.money import money_str
from backend.orders.errors import OrderErrorCode

logger = logging.getLogger(__name__)


class PaymentUnavailable(Unavailable):
    code = OrderErrorCode.PAYMENT_UNAVAILABLE
    default_message = _("The payment service is unavailable; try again shortly.")


class PaymentRefused(DomainError):
    status = 409
    code = OrderErrorCode.PAYMENT_REFUSED

    def __init__(self, provider_code: str, message: str) -> None:
        super().__init__(message, extra={"provider_code": provider_code})
        self.provider_code = provider_code


@dataclass(frozen=True)
class ProviderPayment:
    payment_id: str
    pay_url: str
    status: str


@dataclass(frozen=True)
class ProviderRefund:
    refund_id: str
    status: str


@dataclass(frozen=True)
class Notice:
    payment_id: str
    out_trade_no: str
    amount: Decimal
    status: str


class PaymentProvider(Protocol):
    name: str

    def payment_create(
        self, *, out_trade_no: str, amount: Decimal, subject: str, notify_url: str, return_url: str
    ) -> ProviderPayment: ...

    def payment_close(self, *, payment_id: str) -> str:
        """Close an unpaid payment; returns the final status ("closed" or "paid")."""
        ...

    def refund(
        self, *, payment_id: str, out_refund_no: str, amount: Decimal, reason: str
    ) -> ProviderRefund: ...

    def notice_parse(self, *, body: dict[str, Any]) -> Notice | None:
        """A verified notice, or None when the signature is wrong."""
        ...


def canonical(params: dict[str, str]) -> str:
    """Every parameter except sign, empty values dropped, sorted by key, k=v joined by &."""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")


def sign(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()


def _pool() -> urllib3.PoolManager:
    """One pool per process: connections to the provider are kept alive between calls (a
    checkout calls it every time). urllib3 directly, not requests on top of it: requests'
    preparation of each call cost about half a millisecond of the checkout's CPU (profiled).
    The environment's proxy and CA settings are read once, as requests would read them."""
    ca = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None
    options: dict[str, Any] = {"maxsize": 16, "retries": False, "ca_certs": ca}
    url = settings.PAYMENT_SANDBOX_URL or ""
    proxy = requests.utils.get_environ_proxies(url).get(url.split(":", 1)[0])
    return urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)


_http = _pool()


class SandboxPaymentProvider:
    name = "sandbox"
    timeout = urllib3.Timeout(connect=3.05, read=10)

    def __init__(self) -> None:
        self.base = settings.PAYMENT_SANDBOX_URL.rstrip("/")
        self.mch_id = settings.PAYMENT_MCH_ID
        self.secret = settings.PAYMENT_SECRET

    def _signed(self, params: dict[str, str]) -> dict[str, str]:
        full = {
            **params,
            "mch_id": self.mch_id,
            "timestamp": str(int(time.time())),
            "nonce": secrets.token_hex(8),
        }
        full["sign"] = sign(full, self.secret)
        return full

    def _post(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = _http.request(
                "POST",
                f"{self.base}{path}",
                body=json.dumps(self._signed(params)).encode(),
                headers={"Content-Type": "application/json"},
                timeout=self.timeout,
            )
        except urllib3.exceptions.HTTPError as exc:
            logger.warning("payment provider unreachable: %s", type(exc).__name__)
            raise PaymentUnavailable() from exc
        if response.status >= 500:
            raise PaymentUnavailable()
        try:
            body: dict[str, Any] = json.loads(response.data)
        except ValueError as exc:  # not JSON: not the provider's answer
            logger.warning("payment provider answered %s without JSON", response.status)
            raise PaymentUnavailable() from exc
        if response.status >= 400:
            logger.warning("payment provider refused %s: %s", path, body.get("code"))
            raise PaymentRefused(str(body.get("code")), str(body.get("message")))
        return body

    def payment_create(
        self, *, out_trade_no: str, amount: Decimal, subject: str, notify_url: str, return_url: str
    ) -> ProviderPayment:
        body = self._post(
            "/v1/payments",
            {
                "out_trade_no": out_trade_no,
                "amount": money_str(amount),
                "currency": "CNY",
                "subject": subject[:128],
                "notify_url": notify_url,
                "return_url": return_url,
            },
        )
        return ProviderPayment(body["payment_id"], body["pay_url"], body["status"])

    def payment_close(self, *, payment_id: str) -> str:
        try:
            return str(self._post(f"/v1/payments/{payment_id}/close", {})["status"])
        except PaymentRefused as exc:
            if exc.provider_code == "PAYMENT_ALREADY_PAID":
                return "paid"
            raise

    def refund(
        self, *, payment_id: str, out_refund_no: str, amount: Decimal, reason: str
    ) -> ProviderRefund:
        body = self._post(
            "/v1/refunds",
            {
                "payment_id": payment_id,
                "out_refund_no": out_refund_no,
                "amount": money_str(amount),
                "reason": reason[:256],
            },
        )
        return ProviderRefund(body["refund_id"], body["status"])

    def notice_parse(self, *, body: dict[str, Any]) -> Notice | None:
        params = {k: v for k, v in body.items() if isinstance(v, str)}
        if len(params) != len(body) or params.get("mch_id") != self.mch_id:
            return None
        try:
            expected = sign(params, self.secret)
        except UnicodeEncodeError:  # a lone surrogate ("\ud800") cannot have been signed
            return None
        # Bytes, not str: compare_digest refuses str with non-ASCII characters.
        given = params.get("sign", "").encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(expected.encode(), given):
            return None
        try:
            amount = Decimal(params["amount"])
        except (KeyError, ArithmeticError):
            return None
        return Notice(
            payment_id=params.get("payment_id", ""),
            out_trade_no=params.get("out_trade_no", ""),
            amount=amount,
            status=params.get("status", ""),
        )


def get_provider() -> PaymentProvider:
    provider: PaymentProvider = import_string(settings.PAYMENT_PROVIDER)()
    return provider
