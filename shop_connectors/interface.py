"""The one interface every platform client implements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from shop_connectors.models import (
    CategoryAttribute,
    Courier,
    FreightTemplate,
    Item,
    ListedItem,
    Order,
    RemoteCategory,
    Shipment,
    Token,
)


class Connector(Protocol):
    platform: str

    def authorize_url(self, *, state: str) -> str: ...

    def token_exchange(self, *, code: str) -> Token: ...

    def token_refresh(self, *, refresh_token: str) -> Token: ...

    def item_publish(self, *, item: Item) -> Item: ...

    def item_update(self, *, item: Item) -> None: ...

    def sku_prices_set(self, *, item: Item, prices: Mapping[str, Decimal]) -> None: ...

    def sku_stocks_set(self, *, item: Item, stocks: Mapping[str, int]) -> None: ...

    def item_off_sale(self, *, item: Item) -> None: ...

    def item_on_sale(self, *, item: Item) -> None: ...

    def item_find(self, *, outer_id: str) -> ListedItem | None: ...

    def items_iter(self) -> Iterator[ListedItem]: ...

    def orders_changed(self, *, start: datetime, end: datetime) -> Iterator[Order]: ...

    def order_get(self, *, order_id: str) -> Order: ...

    def shipment_send(self, *, shipment: Shipment) -> None: ...

    def couriers_list(self) -> list[Courier]: ...

    def categories_list(self, *, parent_id: str = "0") -> list[RemoteCategory]: ...

    def category_attributes(self, *, category_id: str) -> list[CategoryAttribute]: ...

    def freight_templates(self) -> list[FreightTemplate]: ...
