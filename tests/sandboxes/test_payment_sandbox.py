"""The payment sandbox through its HTTP surface, as a real process on a free loopback port."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
import requests

from sandboxes.payment import canonical, sign
from tests.sandboxes.merchant import (
    BACKOFF_MS,
    MCH_ID,
    OTHER_MCH_ID,
    OTHER_SECRET,
    RETRIES,
    SECRET,
    Gateway,
    Receiver,
    independent_sign,
    wait_for,
)

# The worked example of docs/sandboxes.md ("Payment gateway", "Signature").
EXAMPLE = {
    "mch_id": "qinshui-demo",
    "out_trade_no": "CK20260301001",
    "amount": "59.80",
    "currency": "CNY",
    "subject": "沁水小米 2.5kg",
    "notify_url": "http://127.0.0.1:8000/api/v1/payments/notify",
    "return_url": "",
    "timestamp": "1772323200",
    "nonce": "5K8264ILTKCH16CQ",
    "sign": "ignored",
}
EXAMPLE_CANONICAL = (
    "amount=59.80&currency=CNY&mch_id=qinshui-demo&nonce=5K8264ILTKCH16CQ"
    "&notify_url=http://127.0.0.1:8000/api/v1/payments/notify&out_trade_no=CK20260301001"
    "&subject=沁水小米 2.5kg&timestamp=1772323200"
)
EXAMPLE_SIGN = "db9e63b2499518704bf5052690c34802674f5665ffbd44091783cefd3f725e10"
NOTIFY_KEYS = {
    "notify_id",
    "notify_type",
    "mch_id",
    "payment_id",
    "out_trade_no",
    "amount",
    "currency",
    "status",
    "paid_at",
    "timestamp",
    "nonce",
    "sign",
}


def trade_no() -> str:
    return f"CK{uuid.uuid4().hex[:16]}"


def refund_no() -> str:
    """Refund numbers are per merchant, and this module shares one sandbox."""
    return f"RF{uuid.uuid4().hex[:16]}"


def created(gateway: Gateway, **kwargs: Any) -> dict[str, Any]:
    response = gateway.create(kwargs.pop("out_trade_no", trade_no()), **kwargs)
    assert response.status_code == 201, response.text
    return dict(response.json())


def paid(gateway: Gateway, receiver: Receiver, amount: str = "59.80") -> dict[str, Any]:
    payment = created(gateway, amount=amount, notify_url=receiver.url)
    assert gateway.pay(payment["payment_id"]).status_code == 200
    wait_for(lambda: len(receiver.bodies) == 1)
    return payment


def test_worked_example_of_the_docs() -> None:
    assert canonical(EXAMPLE) == EXAMPLE_CANONICAL
    assert sign(EXAMPLE, "qinshui-demo-secret") == EXAMPLE_SIGN
    assert independent_sign(EXAMPLE, "qinshui-demo-secret") == EXAMPLE_SIGN


def test_create_returns_a_pending_payment_with_its_pay_page(gateway: Gateway) -> None:
    out_trade_no = trade_no()
    response = gateway.create(out_trade_no)
    assert response.status_code == 201
    body = response.json()
    payment_id = body["payment_id"]
    assert payment_id.startswith("pay_")
    assert body == {
        "payment_id": payment_id,
        "mch_id": MCH_ID,
        "out_trade_no": out_trade_no,
        "amount": "59.80",
        "currency": "CNY",
        "subject": "沁水小米 2.5kg",
        "status": "pending",
        "pay_url": f"{gateway.url}/pay/{payment_id}",
        "created_at": body["created_at"],
        "paid_at": None,
        "closed_at": None,
        "refunded_amount": "0.00",
    }
    assert gateway.query(payment_id).json() == body


def test_pay_sends_one_signed_notify_and_the_query_says_paid(
    gateway: Gateway, receiver: Receiver
) -> None:
    payment = paid(gateway, receiver)
    notify = receiver.json(0)
    assert set(notify) == NOTIFY_KEYS
    assert notify["sign"] == independent_sign(notify, SECRET)
    assert {k: notify[k] for k in ("mch_id", "payment_id", "out_trade_no", "amount")} == {
        "mch_id": MCH_ID,
        "payment_id": payment["payment_id"],
        "out_trade_no": payment["out_trade_no"],
        "amount": "59.80",
    }
    assert (notify["notify_type"], notify["status"], notify["currency"]) == (
        "payment.paid",
        "paid",
        "CNY",
    )
    assert abs(int(notify["timestamp"]) - time.time()) < 10
    assert receiver.content_types == ["application/json"]
    queried = gateway.query(payment["payment_id"]).json()
    assert (queried["status"], queried["paid_at"]) == ("paid", notify["paid_at"])
    wait_for(lambda: gateway.payments(payment["out_trade_no"])[0]["notify_status"] == "delivered")
    attempts = gateway.notifications(payment["payment_id"])
    assert [(a["attempt"], a["response_status"], a["delivered"]) for a in attempts] == [
        (1, 200, True)
    ]
    assert attempts[0]["body"] == notify
    assert attempts[0]["url"] == receiver.url
    # Paying again changes nothing and sends nothing.
    assert gateway.pay(payment["payment_id"]).json()["paid_at"] == notify["paid_at"]
    time.sleep(0.3)
    assert len(receiver.bodies) == 1


def test_notify_is_retried_after_a_500_with_the_same_body(
    gateway: Gateway, receiver: Receiver
) -> None:
    receiver.answers = [(500, "oops")]
    payment = created(gateway, notify_url=receiver.url)
    started = time.monotonic()
    gateway.pay(payment["payment_id"])
    wait_for(lambda: len(receiver.bodies) == 2)
    assert time.monotonic() - started >= BACKOFF_MS / 1000
    assert receiver.bodies[0] == receiver.bodies[1]
    wait_for(lambda: gateway.payments(payment["out_trade_no"])[0]["notify_status"] == "delivered")
    attempts = gateway.notifications(payment["payment_id"])
    assert [
        (a["attempt"], a["response_status"], a["response_body"], a["delivered"]) for a in attempts
    ] == [
        (1, 500, "oops", False),
        (2, 200, "success", True),
    ]


def test_notify_gives_up_after_the_retries_unless_the_answer_is_success(
    gateway: Gateway, receiver: Receiver
) -> None:
    receiver.answers = [(200, "ok")] * (RETRIES + 1)  # 200 alone is not an acknowledgement
    payment = created(gateway, notify_url=receiver.url)
    gateway.pay(payment["payment_id"])
    wait_for(lambda: gateway.payments(payment["out_trade_no"])[0]["notify_status"] == "failed")
    assert len(receiver.bodies) == RETRIES + 1
    assert len(set(receiver.bodies)) == 1
    attempts = gateway.notifications(payment["payment_id"])
    assert [(a["attempt"], a["delivered"]) for a in attempts] == [
        (n, False) for n in range(1, RETRIES + 2)
    ]


def test_injected_failure_drops_an_attempt_then_the_retry_arrives(
    gateway: Gateway, receiver: Receiver
) -> None:
    assert gateway.control(notify_fail_next=1) == {"notify_fail_next": 1, "notify_delay_ms": 0}
    payment = created(gateway, notify_url=receiver.url)
    gateway.pay(payment["payment_id"])
    wait_for(lambda: len(receiver.bodies) == 1)
    # The sandbox records an attempt once its answer is read, which may be just after the
    # receiver has the body.
    wait_for(lambda: len(gateway.notifications(payment["payment_id"])) == 2)
    attempts = gateway.notifications(payment["payment_id"])
    assert [(a["attempt"], a["response_status"], a["error"]) for a in attempts] == [
        (1, None, "injected failure (not sent)"),
        (2, 200, ""),
    ]


def test_replay_notify_sends_the_identical_body(gateway: Gateway, receiver: Receiver) -> None:
    payment = paid(gateway, receiver)
    url = f"{gateway.url}/v1/_sandbox/payments/{payment['payment_id']}/replay_notify"
    response = requests.post(url, timeout=5)
    assert response.status_code == 200
    assert (response.json()["replay"], response.json()["delivered"]) == (True, True)
    assert len(receiver.bodies) == 2
    assert receiver.bodies[1] == receiver.bodies[0]
    assert gateway.query(payment["payment_id"]).json()["status"] == "paid"


def test_replay_notify_of_an_unpaid_payment_is_refused(gateway: Gateway) -> None:
    payment = created(gateway)
    url = f"{gateway.url}/v1/_sandbox/payments/{payment['payment_id']}/replay_notify"
    response = requests.post(url, timeout=5)
    assert (response.status_code, response.json()["code"]) == (409, "PAYMENT_NOT_PAID")
    assert gateway.notifications(payment["payment_id"]) == []


def test_notify_delay_lets_the_browser_return_before_the_notify(
    gateway: Gateway, receiver: Receiver
) -> None:
    gateway.control(notify_delay_ms=500)
    payment = created(gateway, notify_url=receiver.url)
    confirming = time.monotonic()
    response = requests.post(f"{payment['pay_url']}/confirm", allow_redirects=False, timeout=5)
    assert response.status_code == 303
    assert gateway.query(payment["payment_id"]).json()["status"] == "paid"
    wait_for(lambda: len(receiver.bodies) == 1)
    # Held for the delay after the confirm: measured from before the confirm was sent, as
    # "not arrived yet when the browser is back" fails whenever a busy machine is slower.
    assert receiver.arrived[0] - confirming >= 0.5


def _refused(response: requests.Response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert set(response.json()) == {"code", "message"}


def test_bad_signature_is_refused_and_creates_nothing(gateway: Gateway) -> None:
    out_trade_no = trade_no()
    body = gateway.signed({"out_trade_no": out_trade_no, "amount": "59.80", "currency": "CNY"})
    body["amount"] = "0.01"  # tampered after signing
    response = requests.post(f"{gateway.url}/v1/payments", json=body, timeout=5)
    _refused(response, 401, "SIGN_INVALID")
    wrong_secret = Gateway(gateway.url, MCH_ID, OTHER_SECRET).create(out_trade_no)
    _refused(wrong_secret, 401, "SIGN_INVALID")
    unknown = Gateway(gateway.url, "nobody", SECRET).create(out_trade_no)
    _refused(unknown, 401, "MCH_INVALID")
    assert gateway.payments(out_trade_no) == []


@pytest.mark.parametrize("skew", [-301, 301])
def test_timestamp_more_than_five_minutes_off_is_refused(gateway: Gateway, skew: int) -> None:
    out_trade_no = trade_no()
    params = {"out_trade_no": out_trade_no, "amount": "59.80", "currency": "CNY"}
    body = gateway.signed(params, skew=skew)
    response = requests.post(f"{gateway.url}/v1/payments", json=body, timeout=5)
    _refused(response, 401, "TIMESTAMP_EXPIRED")
    assert gateway.payments(out_trade_no) == []


def test_create_is_idempotent_by_out_trade_no_and_a_new_amount_conflicts(
    gateway: Gateway,
) -> None:
    out_trade_no = trade_no()
    first = gateway.create(out_trade_no)
    again = gateway.create(out_trade_no)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    _refused(gateway.create(out_trade_no, amount="59.81"), 409, "OUT_TRADE_NO_CONFLICT")
    rows = gateway.payments(out_trade_no)
    assert [(r["payment_id"], r["amount"]) for r in rows] == [(first.json()["payment_id"], "59.80")]


@pytest.mark.parametrize(
    "amount", [59.8, 59, "59.8", "59.800", "-59.80", "0.00", "059.80", "1e2", " 59.80", "五十"]
)
def test_malformed_amounts_are_refused(gateway: Gateway, amount: Any) -> None:
    out_trade_no = trade_no()
    _refused(gateway.create(out_trade_no, amount=amount), 400, "AMOUNT_INVALID")
    assert gateway.payments(out_trade_no) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("currency", "USD"), ("notify_url", "ftp://x/"), ("subject", ""), ("out_trade_no", "有 空格")],
)
def test_malformed_fields_are_refused(gateway: Gateway, field: str, value: str) -> None:
    out_trade_no = trade_no()
    response = gateway.create(**{"out_trade_no": out_trade_no, field: value})
    _refused(response, 400, "PARAM_INVALID")
    assert gateway.payments(out_trade_no) == []


def test_refunds_partial_then_full_then_over_and_idempotent(
    gateway: Gateway, receiver: Receiver
) -> None:
    payment = paid(gateway, receiver)
    payment_id = payment["payment_id"]
    rf1, rf2, rf3 = refund_no(), refund_no(), refund_no()
    first = gateway.refund(payment_id=payment_id, out_refund_no=rf1, amount="20.00", reason="少发")
    assert first.status_code == 201
    assert first.json() == {
        "refund_id": first.json()["refund_id"],
        "out_refund_no": rf1,
        "payment_id": payment_id,
        "out_trade_no": payment["out_trade_no"],
        "amount": "20.00",
        "currency": "CNY",
        "reason": "少发",
        "status": "succeeded",
        "created_at": first.json()["created_at"],
    }
    replay = gateway.refund(payment_id=payment_id, out_refund_no=rf1, amount="20.00")
    assert (replay.status_code, replay.json()) == (200, first.json())
    _refused(
        gateway.refund(payment_id=payment_id, out_refund_no=rf1, amount="21.00"),
        409,
        "OUT_REFUND_NO_CONFLICT",
    )
    rest = gateway.refund(out_trade_no=payment["out_trade_no"], out_refund_no=rf2, amount="39.80")
    assert rest.status_code == 201
    _refused(
        gateway.refund(payment_id=payment_id, out_refund_no=rf3, amount="0.01"),
        409,
        "REFUND_EXCEEDS_PAYMENT",
    )
    assert gateway.query(payment_id).json()["refunded_amount"] == "59.80"
    row = gateway.payments(payment["out_trade_no"])[0]
    assert [(r["out_refund_no"], r["amount"]) for r in row["refunds"]] == [
        (rf1, "20.00"),
        (rf2, "39.80"),
    ]


def test_refund_over_the_payment_in_one_go_is_refused(gateway: Gateway, receiver: Receiver) -> None:
    payment = paid(gateway, receiver)
    response = gateway.refund(
        payment_id=payment["payment_id"], out_refund_no=refund_no(), amount="59.81"
    )
    _refused(response, 409, "REFUND_EXCEEDS_PAYMENT")
    assert gateway.query(payment["payment_id"]).json()["refunded_amount"] == "0.00"


def test_refund_of_an_unpaid_payment_is_refused(gateway: Gateway) -> None:
    payment = created(gateway)
    response = gateway.refund(
        payment_id=payment["payment_id"], out_refund_no=refund_no(), amount="1.00"
    )
    _refused(response, 409, "PAYMENT_NOT_PAID")
    assert gateway.payments(payment["out_trade_no"])[0]["refunds"] == []


def test_another_merchants_payment_is_not_found(gateway: Gateway) -> None:
    payment = created(gateway)
    other = Gateway(gateway.url, OTHER_MCH_ID, OTHER_SECRET)
    _refused(other.query(payment["payment_id"]), 404, "PAYMENT_NOT_FOUND")
    number = refund_no()
    refund = other.refund(payment_id=payment["payment_id"], out_refund_no=number, amount="1.00")
    _refused(refund, 404, "PAYMENT_NOT_FOUND")


def test_close_stops_a_late_payment_and_a_paid_one_cannot_close(
    gateway: Gateway, receiver: Receiver
) -> None:
    pending = created(gateway, notify_url=receiver.url)
    close = f"{gateway.url}/v1/payments/{pending['payment_id']}/close"
    closed = requests.post(close, json=gateway.signed({}), timeout=5)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    _refused(gateway.pay(pending["payment_id"]), 409, "PAYMENT_CLOSED")
    page = requests.post(f"{pending['pay_url']}/confirm", allow_redirects=False, timeout=5)
    assert page.status_code == 409
    assert 'data-status="closed"' in page.text
    payment = paid(gateway, receiver)
    close = f"{gateway.url}/v1/payments/{payment['payment_id']}/close"
    _refused(requests.post(close, json=gateway.signed({}), timeout=5), 409, "PAYMENT_ALREADY_PAID")
    assert len(receiver.bodies) == 1


def test_hosted_page_shows_the_amount_and_the_buttons(gateway: Gateway) -> None:
    payment = created(gateway, amount="1288.00", subject="沁水黄小米 <礼盒>")
    response = requests.get(payment["pay_url"], timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<title>收银台 · 支付沙箱</title>" in page
    assert '<span id="pay-amount">1288.00</span>' in page
    assert '<p id="pay-subject">沁水黄小米 &lt;礼盒&gt;</p>' in page
    assert f'<form method="post" action="/pay/{payment["payment_id"]}/confirm">' in page
    assert '<button id="pay-confirm" type="submit">确认支付</button>' in page
    assert '<button id="pay-cancel" type="submit">取消支付</button>' in page
    assert '<p id="pay-status" data-status="pending">待支付</p>' in page


def test_page_cancel_returns_unpaid_and_confirm_returns_paid(
    gateway: Gateway, receiver: Receiver
) -> None:
    payment = created(gateway, notify_url=receiver.url)
    base = "http://127.0.0.1:8000/orders/?from=pay"
    tail = f"&payment_id={payment['payment_id']}&out_trade_no={payment['out_trade_no']}"
    cancel = requests.post(f"{payment['pay_url']}/cancel", allow_redirects=False, timeout=5)
    assert (cancel.status_code, cancel.headers["Location"]) == (
        303,
        f"{base}{tail}&result=cancelled",
    )
    assert gateway.query(payment["payment_id"]).json()["status"] == "pending"
    assert receiver.bodies == []
    confirm = requests.post(f"{payment['pay_url']}/confirm", allow_redirects=False, timeout=5)
    assert (confirm.status_code, confirm.headers["Location"]) == (303, f"{base}{tail}&result=paid")
    wait_for(lambda: len(receiver.bodies) == 1)
    page = requests.get(payment["pay_url"], timeout=5).text
    assert '<p id="pay-status" data-status="paid">已支付</p>' in page
    assert "pay-confirm" not in page


def test_unknown_payment_and_route(gateway: Gateway) -> None:
    _refused(gateway.query("pay_missing"), 404, "PAYMENT_NOT_FOUND")
    _refused(requests.get(f"{gateway.url}/pay/pay_missing", timeout=5), 404, "PAYMENT_NOT_FOUND")
    _refused(requests.get(f"{gateway.url}/v2/nothing", timeout=5), 404, "NOT_FOUND")
    assert requests.get(f"{gateway.url}/healthz", timeout=5).json() == {"ok": True}
