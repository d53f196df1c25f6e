"""Returns at the counter, with the receipt: units back to the shelf, money back by the
sale's own payment kind (cash or card handed back and recorded; a QR sale's through the
provider). A line of another receipt, or more than was sold less what came back, is
refused and nothing changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import DomainError
from backend.offline_shop.errors import ShopErrorCode as E
from backend.offline_shop.lock_objects import receipt_lock
from backend.offline_shop.models import CounterReturn, PayKind, Receipt, ReturnLine
from backend.offline_shop.services_sale import shift_current
from backend.orders.models import Order, OrderLine
from backend.orders.services_counter import (
    CounterRefund,
    counter_refund_number,
    counter_refund_pay,
    counter_refund_record,
)

FEN = Decimal("0.01")


def _refused(message: str, **extra: object) -> DomainError:
    return DomainError(message, code=E.RETURN_INVALID, status=422, extra=extra)


def returned_so_far(*, receipt: Receipt) -> dict[int, int]:
    rows = ReturnLine.objects.filter(counter_return__receipt=receipt).values("line_id")
    return {r["line_id"]: r["n"] for r in rows.annotate(n=Sum("quantity"))}


@dataclass(frozen=True)
class _Plan:
    refunds: list[CounterRefund]
    amounts: dict[int, Decimal]  # line id → money back


def _plan(*, receipt: Receipt, wanted: dict[int, int], by: User, reason: str) -> _Plan:
    """Check the lines against the receipt and work out each order's money back: the
    lines' share of what the order was paid (rounded to the fen), and the exact rest when
    the order's last unit comes back."""
    lines = {
        line.pk: line
        for line in OrderLine.objects.select_related("order").filter(
            order__checkout_id=receipt.checkout_id
        )
    }
    done = returned_so_far(receipt=receipt)
    for line_id, quantity in wanted.items():
        if line_id not in lines:
            raise _refused(_("This item is not on the receipt."), line_id=line_id)
        left = lines[line_id].quantity - done.get(line_id, 0)
        if quantity > left:
            raise _refused(
                _("Only %(left)s of this item can still be returned.") % {"left": left},
                line_id=line_id,
                left=left,
                wanted=quantity,
            )
    per_order: dict[int, list[int]] = defaultdict(list)
    for line_id in sorted(wanted):
        per_order[lines[line_id].order_id].append(line_id)
    refunds, amounts = [], {}
    for order_id, ids in sorted(per_order.items()):
        order: Order = lines[ids[0]].order
        for line_id in ids:
            line = lines[line_id]
            share = line.unit_price * wanted[line_id] * order.paid_amount / order.goods_amount
            amounts[line_id] = share.quantize(FEN, rounding=ROUND_HALF_UP)
        units_left = sum(
            other.quantity - done.get(other.pk, 0) - wanted.get(other.pk, 0)
            for other in lines.values()
            if other.order_id == order_id
        )
        amount = sum((amounts[i] for i in ids), Decimal("0"))
        if units_left == 0:  # the last units: exactly what is left of the payment
            amount = order.paid_amount - order.refunded_amount
            amounts[ids[-1]] += amount - sum((amounts[i] for i in ids), Decimal("0"))
        refunds.append(
            CounterRefund(
                order=order,
                quantities={i: wanted[i] for i in ids},
                amount=min(amount, order.paid_amount - order.refunded_amount),
                reason=reason,
                by=by,
            )
        )
    return _Plan(refunds, amounts)


def counter_return(
    *, receipt: Receipt, by: User, quantities: dict[int, int], reason: str
) -> CounterReturn:
    """Take back `quantities` (order line id → units) of the receipt's goods.

    All under the receipt's lock, the provider's refund of a QR sale included: a second
    return of the same receipt waits, so money never goes back for units another return
    already took. If the provider answers and a later step fails, the transaction rolls
    back and the refund number (from the order's refunds) is the same on the next try,
    which the provider answers with the refund it already made (idempotent)."""
    if not quantities or any(q <= 0 for q in quantities.values()):
        raise _refused(_("Say which items come back, and how many."))
    shift = shift_current(shop=receipt.shop, cashier=by)
    with transaction.atomic():
        receipt_lock(receipt_id=receipt.pk)
        plan = _plan(receipt=receipt, wanted=quantities, by=by, reason=reason)
        made = CounterReturn.objects.create(
            receipt=receipt,
            shift=shift,
            amount=sum((r.amount for r in plan.refunds), Decimal("0")),
            reason=reason[:200],
            by=by,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(counter_return=made, line_id=line_id, quantity=quantities[line_id],
                       amount=plan.amounts[line_id])
            for line_id in sorted(quantities)
        )  # fmt: skip
        for refund in plan.refunds:
            number = counter_refund_number(order=refund.order)
            remote_id = ""
            if receipt.payment_kind == PayKind.QR:
                remote_id = counter_refund_pay(refund=refund, out_refund_no=number)
            counter_refund_record(refund=refund, out_refund_no=number, provider_refund_id=remote_id)
    return made
