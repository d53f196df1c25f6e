"""Setting up a shop: it comes with its own shelf (a stock location of its own)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from backend.accounts.models import Organisation
from backend.catalog.models import StockLocation
from backend.offline_shop.models import Shop


def shop_create(
    *, name: str, operator: Organisation, commission_rate: Decimal, address: str = ""
) -> Shop:
    with transaction.atomic():
        shelf = StockLocation.objects.create(
            kind=StockLocation.Kind.SHOP_SHELF, name=f"{name} 货架"[:64]
        )
        return Shop.objects.create(
            name=name,
            operator=operator,
            shelf=shelf,
            address=address,
            commission_rate=commission_rate,
        )
