"""A product of ours as the item a platform takes, and the hashes of what would be pushed.

`item_build` refuses a product whose mapping is incomplete, naming the missing field, so
nothing half-mapped ever reaches a platform."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from backend.catalog.models import Product
from backend.common.errors import DomainError
from backend.stores.errors import StoreErrorCode
from backend.stores.models import CategoryMapping, Listing, Platform, Store
from shop_connectors.models import Item, JdMapping, Mapping_, PddMapping, Sku, TaobaoMapping


class MappingIncomplete(DomainError):
    status = 422
    code = StoreErrorCode.MAPPING_INCOMPLETE


@dataclass(frozen=True)
class Built:
    item: Item
    content_hash: str
    price_hash: str
    stock_hash: str
    stocks: dict[str, int]  # SKU outer id -> the stock this store gets


def outer_id(product: Product) -> str:
    return f"QS-P{product.pk}"


def store_stock(*, store: Store, stock: int) -> int:
    """This store's share of one physical stock, after the safety stock."""
    return max(0, (stock - store.safety_stock) * store.share_percent // 100)


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _missing(field: str, message: str) -> MappingIncomplete:
    return MappingIncomplete(message, extra={"field": field})


def item_build(
    *, store: Store, product: Product, mapping: CategoryMapping | None, listing: Listing | None
) -> Built:
    skus = [s for s in product.skus.all() if s.is_active]
    if not skus:
        raise _missing("skus", _("The product has no active SKU."))
    if not store.freight_template_id:
        raise _missing("freight_template_id", _("Choose the store's freight template first."))
    if mapping is None:
        raise _missing(
            "category_mapping",
            _("Map the category %(name)s to a platform category first.")
            % {"name": product.category.name},
        )
    remote_skus = {ls.sku_id: ls.remote_sku_id for ls in listing.skus.all()} if listing else {}
    stocks = {s.outer_id: store_stock(store=store, stock=s.stock) for s in skus}
    item = Item(
        outer_id=outer_id(product),
        title=product.title,
        description=product.description or product.title,
        skus=tuple(
            Sku(
                outer_id=s.outer_id,
                price=s.price,
                stock=stocks[s.outer_id],
                remote_id=remote_skus.get(s.pk) or None,
            )
            for s in skus
        ),
        mapping=_mapping(
            store=store, mapping=mapping, specs={s.outer_id: s.spec_text for s in skus}
        ),
        image_urls=tuple(
            f"{settings.SITE_URL}{image.original.url}" for image in product.images.all()
        ),
        market_price=max((s.list_price or s.price) for s in skus),
        remote_id=(listing.remote_id or None) if listing else None,
    )
    content = [item.title, item.description, item.image_urls, repr(item.mapping)]
    return Built(
        item=item,
        content_hash=_digest(content),
        price_hash=_digest({s.outer_id: str(s.price) for s in item.skus}),
        stock_hash=_digest(stocks),
        stocks=stocks,
    )


def _mapping(*, store: Store, mapping: CategoryMapping, specs: dict[str, str]) -> Mapping_:
    platform = store.app.platform
    attributes = mapping.attributes
    if platform == Platform.TAOBAO:
        missing = [text for text in specs.values() if text not in mapping.spec_values]
        if missing:
            raise _missing(
                f"spec_values.{missing[0]}",
                _("Choose the platform's value for the spec %(spec)s.") % {"spec": missing[0]},
            )
        return TaobaoMapping(
            cid=int(mapping.remote_category_id),
            location_state=store.location_state,
            location_city=store.location_city,
            sku_properties={
                o: f"{mapping.sale_attribute_id}:{mapping.spec_values[t]}" for o, t in specs.items()
            },
            props=";".join(
                f"{pid}:{a['value_id']}" for pid, a in sorted(attributes.items()) if a["value_id"]
            ),
            postage_id=int(store.freight_template_id),
        )
    sale = int(mapping.sale_attribute_id)
    if platform == Platform.PINDUODUO:
        return PddMapping(
            cat_id=int(mapping.remote_category_id),
            cost_template_id=int(store.freight_template_id),
            sku_specs={o: ((sale, t),) for o, t in specs.items()},
            spec_ids={(sale, t): int(i) for t, i in mapping.spec_ids.items()},
            properties=tuple(
                (int(pid), int(a["value_id"] or 0), a["value"])
                for pid, a in sorted(attributes.items())
            ),
        )
    return JdMapping(
        category_id=int(mapping.remote_category_id),
        sku_sale_attrs={o: ((sale, t),) for o, t in specs.items()},
        transport_id=int(store.freight_template_id),
        props=tuple((int(pid), a["value"]) for pid, a in sorted(attributes.items())),
    )
