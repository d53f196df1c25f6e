"""The sandbox providers, recording how deep in transactions the caller was at the moment it
called out (the call itself still goes to the real sandbox process). A test compares that
with its own depth: equal means the service had no transaction of its own open."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from backend.accounts.sms import SandboxSmsProvider
from backend.orders.payments import ProviderRefund, SandboxPaymentProvider

CALLS: list[tuple[str, int]] = []


def transaction_depth() -> int:
    """0 outside any transaction; else 1 + the savepoints of nested atomic blocks."""
    return 1 + len(connection.savepoint_ids) if connection.in_atomic_block else 0


class ProbePaymentProvider(SandboxPaymentProvider):
    def refund(
        self, *, payment_id: str, out_refund_no: str, amount: Decimal, reason: str
    ) -> ProviderRefund:
        CALLS.append(("refund", transaction_depth()))
        return super().refund(
            payment_id=payment_id, out_refund_no=out_refund_no, amount=amount, reason=reason
        )


class ProbeSmsProvider(SandboxSmsProvider):
    def send(self, *, phone: str, text: str) -> str:
        CALLS.append(("sms", transaction_depth()))
        return super().send(phone=phone, text=text)
