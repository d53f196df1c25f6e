"""Run against the SQLite database of test_sqlite.py (its DATABASE_URL in the environment):
one SKU on sale with the given stock and the given number of buyers, each with an API token.
Prints {"sku_id": ..., "tokens": [...]} as JSON."""

from __future__ import annotations

import json
import sys

import django


def main(buyers: int, stock: int) -> None:
    django.setup()
    from backend.accounts.models import Organisation
    from backend.accounts.roles import Role
    from backend.accounts.services import api_token_create, user_create
    from backend.catalog.models import Category, Product, ProductStatus, Sku

    seller = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    product = Product.objects.create(
        seller=seller,
        title="刺槐蜂蜜",
        category=Category.objects.get_or_create(name="蜂蜜")[0],
        status=ProductStatus.ON_SALE,
    )
    sku = Sku.objects.create(
        product=product,
        seller=seller,
        spec_text="500g",
        spec={"规格": "500g"},
        price="68.00",
        stock=stock,
        weight_grams=760,
        outer_id="HONEY-500",
    )
    tokens = []
    for n in range(buyers):
        user = user_create(username=f"buyer{n}", password=None, roles=[Role.BUYER])
        tokens.append(api_token_create(user=user, name="race", expires_in_days=None)[1])
    print(json.dumps({"sku_id": sku.pk, "tokens": tokens}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
