"""The payment notify is public: whatever arrives gets a 4xx envelope, and what is kept of a
bad notice is bounded."""

from __future__ import annotations

import json

import pytest

from backend.orders.models import Order, Payment, PaymentNotice

pytestmark = pytest.mark.django_db

NOTIFY = "/api/v1/payments/notify"


def _notify(client, body):
    return client.post(NOTIFY, body, content_type="application/json")


def _invalid(response) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "payment.notice_invalid"


@pytest.mark.parametrize(
    "sign", ["签名", "é" * 64, "", "0" * 64], ids=["han", "latin", "empty", "ascii"]
)
def test_non_ascii_sign_is_refused_and_kept(client, sign: str) -> None:
    """Fuzz-found: hmac.compare_digest raised TypeError on a non-ASCII sign (500)."""
    body = {"mch_id": "qinshui-demo", "payment_id": "PAY1", "amount": "68.00", "sign": sign}
    _invalid(_notify(client, body))
    notice = PaymentNotice.objects.get()
    assert (notice.outcome, notice.provider_payment_id, notice.body) == (
        "bad_signature",
        "PAY1",
        body,
    )


@pytest.mark.parametrize("sign", ["\u0000", "\ud800"], ids=["nul", "lone-surrogate"])
def test_a_notice_jsonb_cannot_hold_is_kept_as_text(client, sign: str) -> None:
    body = {"payment_id": "PAY1", "sign": sign}
    _invalid(_notify(client, body))
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    head = text.encode("utf-8", "backslashreplace").decode()
    notice = PaymentNotice.objects.get()
    assert (notice.outcome, notice.body) == (
        "bad_signature",
        {"truncated": False, "chars": len(text), "head": head},
    )


def test_non_ascii_sign_on_a_real_notice_changes_nothing(place, pay, skus, client) -> None:
    checkout = place([(skus["honey"], 1)])
    body = pay(checkout)
    _invalid(_notify(client, {**body, "sign": "签" * len(body["sign"])}))
    assert Payment.objects.get().status == "paid"
    assert Order.objects.get().status == "paid"
    assert list(PaymentNotice.objects.order_by("id").values_list("outcome", flat=True)) == [
        "paid",
        "bad_signature",
    ]


def test_a_huge_bad_notice_is_kept_only_in_part(client, settings) -> None:
    settings.PAYMENT_NOTICE_KEEP_CHARS = 1000
    body = {"mch_id": "qinshui-demo", "payment_id": "PAY1", "junk": "x" * 500_000, "sign": "0"}
    _invalid(_notify(client, body))
    notice = PaymentNotice.objects.get()
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    assert notice.outcome == "bad_signature"
    assert notice.body == {"truncated": True, "chars": len(text), "head": text[:1000]}


def test_a_small_bad_notice_is_kept_whole(client) -> None:
    body = {"payment_id": "PAY1", "nested": {"a": [1, 2, 3]}, "sign": "abc"}
    _invalid(_notify(client, body))
    assert PaymentNotice.objects.get().body == body


def test_bad_notices_kept_per_hour_are_capped(client, settings) -> None:
    settings.PAYMENT_BAD_NOTICES_PER_HOUR = 3
    for n in range(5):
        _invalid(_notify(client, {"payment_id": f"PAY{n}", "sign": "0"}))
    assert list(
        PaymentNotice.objects.order_by("id").values_list("provider_payment_id", flat=True)
    ) == [
        "PAY0",
        "PAY1",
        "PAY2",
    ]
