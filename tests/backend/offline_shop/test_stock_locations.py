"""Stock in places: consigning to the shop's shelf and taking unsold goods back go through
the one ledger with one event per change; the event's `stock` stays the online figure,
the stores and the storefront cache never hear of shelf moves, and the online checkout
never takes shelf units."""

from __future__ import annotations

import pytest

from backend.catalog.models import LocationStock, StockEntry
from backend.catalog.services_locations import stock_consign, stock_unconsign
from backend.catalog.services_stock import StockInsufficient
from backend.common.events import handlers_concerned
from backend.common.models import OutboxEvent
from tests.backend.offline_shop.conftest import events, shelf_of
from tests.backend.orders.conftest import checkout_body

pytestmark = pytest.mark.django_db


def _ledger(sku):
    return list(
        StockEntry.objects.filter(sku=sku)
        .order_by("id")
        .values_list("location_id", "delta", "stock_after", "reason", "ref")
    )


def test_consign_and_return_moves_exact_rows_and_events(shop, skus, cashier) -> None:
    honey = skus["honey"]
    stock_consign(sku_id=honey.pk, location=shop.shelf, quantity=6, by=cashier)
    stock_unconsign(sku_id=honey.pk, location=shop.shelf, quantity=2, by=cashier)
    shelf = shop.shelf
    assert _ledger(honey) == [
        (None, -6, 4, "consign", f"shop_shelf:{shelf.pk}"),
        (shelf.pk, 6, 6, "consign", "merchant"),
        (shelf.pk, -2, 4, "unconsign", "merchant"),
        (None, 2, 6, "unconsign", f"shop_shelf:{shelf.pk}"),
    ]
    honey.refresh_from_db()
    assert (honey.stock, shelf_of(shop, honey)) == (6, 4)
    moved = [
        (e["location"], e["delta"], e["stock"], e["reason"]) for e in events("sku.stock_changed")
    ]
    key = f"shop_shelf:{shelf.pk}"
    # `stock` is always the merchant's own (online-sellable) figure.
    assert moved == [
        ("merchant", -6, 4, "consign"),
        (key, 6, 4, "consign"),
        (key, -2, 4, "unconsign"),
        ("merchant", 2, 6, "unconsign"),
    ]


def test_stores_and_storefront_never_hear_of_shelf_moves(shop, skus, cashier) -> None:
    stock_consign(sku_id=skus["honey"].pk, location=shop.shelf, quantity=10, by=cashier)
    merchant_move, shelf_move = events("sku.stock_changed")
    assert "backend.stores.handlers.stock_changed" in handlers_concerned(
        "sku.stock_changed", merchant_move
    )
    assert handlers_concerned("sku.stock_changed", shelf_move) == []


def test_consigning_more_than_the_merchant_holds_changes_nothing(shop, skus, cashier) -> None:
    with pytest.raises(StockInsufficient):
        stock_consign(sku_id=skus["honey"].pk, location=shop.shelf, quantity=11, by=cashier)
    with pytest.raises(StockInsufficient):
        stock_unconsign(sku_id=skus["honey"].pk, location=shop.shelf, quantity=1, by=cashier)
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert (StockEntry.objects.count(), LocationStock.objects.filter(quantity__gt=0).count()) == (
        0,
        0,
    )
    assert OutboxEvent.objects.count() == 0


def test_online_checkout_cannot_take_shelf_stock(
    shop, skus, cashier, buyer_client, payments
) -> None:
    honey = skus["honey"]
    stock_consign(sku_id=honey.pk, location=shop.shelf, quantity=10, by=cashier)
    response = buyer_client.post(
        "/api/v1/orders/checkouts", checkout_body([(honey, 1)]), content_type="application/json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "stock.insufficient"
    honey.refresh_from_db()
    assert (honey.stock, shelf_of(shop, honey)) == (0, 10)


def test_only_the_merchant_or_the_office_consigns_through_the_api(
    shop, skus, sellers, cashier_client, office_client, make_user, login_as
) -> None:
    from backend.accounts.models import Membership
    from backend.accounts.roles import Role
    from tests.factories.accounts import MembershipFactory

    merchant = make_user(Role.MERCHANT, username="honey-owner")
    MembershipFactory(user=merchant, organisation=sellers[0], role=Membership.Role.OWNER)
    merchant_client = login_as(merchant)
    url = f"/api/v1/shop-counter/shops/{shop.pk}"
    honey, millet = skus["honey"], skus["millet"]

    def move(client, verb, sku, quantity):
        body = {"sku_id": sku.pk, "quantity": quantity}
        return client.post(f"{url}/{verb}", body, content_type="application/json")

    mine = move(merchant_client, "consign", honey, 4)
    assert mine.status_code == 201, mine.content
    assert [(m["location"], m["delta"], m["stock_after"]) for m in mine.json()] == [
        ("merchant", -4, 6),
        ("shelf", 4, 4),
    ]
    assert move(merchant_client, "consign", millet, 1).status_code == 404  # not theirs
    assert move(cashier_client, "consign", honey, 1).status_code == 403
    assert move(office_client, "unconsign", honey, 1).status_code == 201
    short = move(merchant_client, "unconsign", honey, 4)
    assert (short.status_code, short.json()["error"]["code"]) == (409, "stock.insufficient")
    honey.refresh_from_db()
    assert (honey.stock, shelf_of(shop, honey)) == (7, 3)
