"""Run against a SQLite database (DATABASE_URL in the environment): the imported orders'
stock take (take what there is) on the embedded default. Prints the shortfalls, the stock
left and the ledger rows as JSON."""

from __future__ import annotations

import json
import sys

import django


def main(sku_id: int) -> None:
    django.setup()
    from django.db import transaction

    from backend.catalog.models import Sku, StockEntry
    from backend.catalog.services_stock import StockTake, stock_take_available

    with transaction.atomic():
        short = stock_take_available(
            takes=[StockTake(sku_id, 3, "a"), StockTake(sku_id, 4, "b")], reason="import"
        )
    ledger = StockEntry.objects.filter(sku_id=sku_id).order_by("id")
    rows = list(ledger.values_list("delta", "stock_after", "ref"))
    stock = Sku.objects.get(pk=sku_id).stock
    print(json.dumps({"short": short, "stock": stock, "ledger": rows}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
