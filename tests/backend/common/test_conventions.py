from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from ninja import Schema
from pydantic import ValidationError

from backend.common import crypto
from backend.common.logging import RedactSecretsFilter, redact
from backend.common.money import Money, round_money
from backend.common.timefmt import Timestamp


class Priced(Schema):
    price: Money
    at: Timestamp


def test_money_is_a_two_decimal_string_and_floats_are_refused() -> None:
    at = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    item = Priced(price="39.9", at=at)
    assert item.price == Decimal("39.90")
    assert item.model_dump(mode="json") == {"price": "39.90", "at": "2026-11-28T10:00:00+08:00"}
    assert Priced(price=12, at=at).model_dump(mode="json")["price"] == "12.00"
    for bad in (39.9, "39.999", "abc", "NaN", True):
        with pytest.raises(ValidationError):
            Priced(price=bad, at=at)
    assert round_money(Decimal("10") / Decimal("3")) == Decimal("3.33")


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError):
        Priced(price="1.00", at=datetime(2026, 11, 28, 10, 0))


def test_logs_never_carry_secrets_or_phones(caplog: pytest.LogCaptureFixture) -> None:
    raw = "qs_ab12cd34_" + "Z" * 40
    assert "Z" * 40 not in redact(f"Authorization: Bearer {raw}")
    assert redact("buyer 13912345678 paid") == "buyer 139****5678 paid"
    assert redact("app_secret=shhh&x=1") == "app_secret=********&x=1"
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecretsFilter())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("token %s for %s", raw, "13800000001")
    assert raw not in caplog.text
    assert "13800000001" not in caplog.text
    assert "138****0001" in caplog.text


def test_encryption_round_trip_and_rotation(settings) -> None:
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    sealed = crypto.encrypt("stream-key-123")
    assert "stream-key-123" not in sealed
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(sealed) == "stream-key-123"
    settings.FIELD_ENCRYPTION_KEYS = [new]
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(sealed)
