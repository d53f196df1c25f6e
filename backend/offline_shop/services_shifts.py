"""Shifts: a cashier opens one, sells and takes returns in it, and closes it once by
counting the takings of each payment kind against what its receipts and returns say;
a difference is kept with its reason."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.common.errors import Conflict, DomainError
from backend.common.money import money_str
from backend.offline_shop.errors import ShopErrorCode as E
from backend.offline_shop.lock_objects import shift_lock
from backend.offline_shop.models import CounterReturn, PayKind, Receipt, Shift, ShiftClose, Shop

ZERO = Decimal("0.00")


def shift_open(*, shop: Shop, cashier: User, opening_cash: Decimal) -> Shift:
    try:
        with transaction.atomic():
            return Shift.objects.create(shop=shop, cashier=cashier, opening_cash=opening_cash)
    except IntegrityError as exc:
        raise Conflict(_("You already have an open shift."), code=E.SHIFT_OPEN) from exc


def shift_expected(*, shift: Shift) -> dict[str, Decimal]:
    """What each payment kind should hold: the shift's receipts less its returns; cash
    also holds the opening float."""
    sold = dict(
        Receipt.objects.filter(shift=shift)
        .values("payment_kind")
        .annotate(n=Sum("total_amount"))
        .values_list("payment_kind", "n")
    )
    back = dict(
        CounterReturn.objects.filter(shift=shift)
        .values("receipt__payment_kind")
        .annotate(n=Sum("amount"))
        .values_list("receipt__payment_kind", "n")
    )
    expected = {kind.value: (sold.get(kind, ZERO) - back.get(kind, ZERO)) for kind in PayKind}
    expected[PayKind.CASH] += shift.opening_cash
    return expected


def shift_close(*, shift: Shift, by: User, counted: dict[str, Decimal], reason: str) -> ShiftClose:
    """Once per shift (a second close is refused: the status moves by a conditional
    update and the close row is one-to-one with its shift)."""
    reason = reason.strip()
    with transaction.atomic():
        locked = shift_lock(shift_id=shift.pk)
        if locked.status != Shift.Status.OPEN:
            raise Conflict(_("This shift is already closed."), code=E.SHIFT_CLOSED)
        expected = shift_expected(shift=locked)
        takings, difference = {}, ZERO
        for kind, want in expected.items():
            got = counted.get(kind, ZERO)
            takings[kind] = {
                "expected": money_str(want),
                "counted": money_str(got),
                "difference": money_str(got - want),
            }
            difference += got - want
        if any(counted.get(k, ZERO) != v for k, v in expected.items()) and not reason:
            raise DomainError(
                _("The takings differ from the receipts: say why."),
                code=E.SHIFT_DIFFERENCE_REASON,
                status=422,
                extra={"takings": takings},
            )
        Shift.objects.filter(pk=locked.pk, status=Shift.Status.OPEN).update(
            status=Shift.Status.CLOSED, closed_at=timezone.now()
        )
        return ShiftClose.objects.create(
            shift=locked, takings=takings, difference=difference, reason=reason[:200], by=by
        )
