"""A merchant of the payment sandbox, written from docs/sandboxes.md alone: it signs with its own
implementation of the rule; `Receiver` is what its notify endpoint saw (served by a fixture)."""

from __future__ import annotations

import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

MCH_ID = "qinshui-demo"
SECRET = "qinshui-demo-secret"
OTHER_MCH_ID = "other-shop"
OTHER_SECRET = "other-shop-secret"
RETRIES = 3  # the module's sandbox: 1 + 3 attempts, 200 ms doubling between them
BACKOFF_MS = 200


def independent_sign(params: dict[str, str], secret: str) -> str:
    """The documented rule, written again here so that a bug in `sandboxes.payment.sign`
    cannot pass on both sides."""
    pairs = sorted((k, v) for k, v in params.items() if k != "sign" and len(v) > 0)
    message = "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, digestmod="sha256").hexdigest()


def wait_for(check: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@dataclass
class Gateway:
    """The sandbox seen by a merchant (signed calls) and by a test (control endpoints)."""

    url: str
    mch_id: str = MCH_ID
    secret: str = SECRET

    def signed(self, params: dict[str, Any], *, skew: int = 0) -> dict[str, Any]:
        base = {"mch_id": self.mch_id, "timestamp": str(int(time.time()) + skew)}
        params = {**base, "nonce": uuid.uuid4().hex, **params}
        strings = {k: v for k, v in params.items() if isinstance(v, str)}
        return {**params, "sign": independent_sign(strings, self.secret)}

    def create(self, out_trade_no: str, amount: Any = "59.80", **extra: Any) -> requests.Response:
        params = {
            "out_trade_no": out_trade_no,
            "amount": amount,
            "currency": "CNY",
            "subject": "沁水小米 2.5kg",
            "notify_url": extra.pop("notify_url", "http://127.0.0.1:9/unused"),
            "return_url": "http://127.0.0.1:8000/orders/?from=pay",
            **extra,
        }
        return requests.post(f"{self.url}/v1/payments", json=self.signed(params), timeout=5)

    def query(self, payment_id: str) -> requests.Response:
        params = self.signed({})
        return requests.get(f"{self.url}/v1/payments/{payment_id}", params=params, timeout=5)

    def refund(self, **params: str) -> requests.Response:
        return requests.post(f"{self.url}/v1/refunds", json=self.signed(params), timeout=5)

    def pay(self, payment_id: str) -> requests.Response:
        return requests.post(f"{self.url}/v1/_sandbox/payments/{payment_id}/pay", timeout=5)

    def control(self, **body: Any) -> dict[str, Any]:
        response = requests.post(f"{self.url}/v1/_sandbox/control", json=body, timeout=5)
        response.raise_for_status()
        return dict(response.json())

    def payments(self, out_trade_no: str) -> list[dict[str, Any]]:
        rows = requests.get(f"{self.url}/v1/_sandbox/payments", timeout=5).json()["payments"]
        return [row for row in rows if row["out_trade_no"] == out_trade_no]

    def notifications(self, payment_id: str) -> list[dict[str, Any]]:
        rows = requests.get(f"{self.url}/v1/_sandbox/notifications", timeout=5).json()
        return [row for row in rows["notifications"] if row["payment_id"] == payment_id]


@dataclass
class Receiver:
    """The merchant's notify endpoint: records raw bodies, answers from a script."""

    url: str = ""
    answers: list[tuple[int, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)  # time.monotonic() of each body

    def json(self, index: int) -> dict[str, str]:
        return dict(json.loads(self.bodies[index]))
