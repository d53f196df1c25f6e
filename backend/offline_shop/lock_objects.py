"""Row locks of the offline shop, in one place.

Lock order: a shop before its shifts; a receipt before its orders (orders' lock_objects);
a QR payment before the receipt it makes. Every helper must be called inside
`transaction.atomic()`.
"""

from __future__ import annotations

from backend.offline_shop.models import QrPayment, Receipt, Shift, Shop


def shop_lock(*, shop_id: int) -> Shop:
    """Settlements of a shop one at a time (a period is judged against the others)."""
    return Shop.objects.select_for_update().get(pk=shop_id)


def shift_lock(*, shift_id: int) -> Shift:
    return Shift.objects.select_for_update().get(pk=shift_id)


def receipt_lock(*, receipt_id: int) -> Receipt:
    """Returns of one receipt one at a time (what was returned so far is read, then kept)."""
    return Receipt.objects.select_for_update().get(pk=receipt_id)


def qr_lock(*, qr_id: int) -> QrPayment:
    return QrPayment.objects.select_for_update().get(pk=qr_id)
