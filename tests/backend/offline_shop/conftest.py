from __future__ import annotations

import json
import time
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, StockLocation
from backend.catalog.services_locations import stock_consign
from backend.common.models import OutboxEvent
from backend.offline_shop.access import CASHIER
from backend.offline_shop.models import DiscountRule, Shop
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory


def events(name: str) -> list[dict]:
    return [e.payload for e in OutboxEvent.objects.filter(name=name).order_by("id")]


@pytest.fixture
def sellers(db):
    return OrganisationFactory(name="蜂业合作社"), OrganisationFactory(name="小米合作社")


@pytest.fixture
def shop(db) -> Shop:
    shelf = StockLocation.objects.create(kind=StockLocation.Kind.SHOP_SHELF, name="特产馆货架")
    made = Shop.objects.create(
        name="特产馆",
        operator=OrganisationFactory(name="公共服务中心"),
        shelf=shelf,
        commission_rate=Decimal("0.1500"),
    )
    DiscountRule.objects.create(shop=made, name="满200享95折", threshold=200, percent_off=5)
    return made


@pytest.fixture
def skus(sellers):
    honey = ProductFactory(seller=sellers[0], title="刺槐蜂蜜", status=ProductStatus.ON_SALE)
    millet = ProductFactory(seller=sellers[1], title="黄小米", status=ProductStatus.ON_SALE)
    return {
        "honey": SkuFactory(
            product=honey, price="68.00", stock=10, outer_id="H-500", barcode="6901234567892"
        ),
        "millet": SkuFactory(
            product=millet, price="49.90", stock=8, outer_id="M-2500", spec_text="2.5kg"
        ),
    }


@pytest.fixture
def cashier(make_user, shop):
    user = make_user(username="cashier1")
    user.groups.add(Group.objects.get(name=CASHIER))
    MembershipFactory(user=user, organisation=shop.operator, role=Membership.Role.STAFF)
    return user


@pytest.fixture
def cashier_client(login_as, cashier):
    return login_as(cashier)


@pytest.fixture
def office_client(make_user, login_as):
    return login_as(make_user(Role.OFFICE_STAFF, username="office1"))


@pytest.fixture
def stocked(shop, skus, cashier):
    """5 honey and 4 millet on the shelf (the merchants keep 5 and 4)."""
    stock_consign(sku_id=skus["honey"].pk, location=shop.shelf, quantity=5, by=cashier)
    stock_consign(sku_id=skus["millet"].pk, location=shop.shelf, quantity=4, by=cashier)
    return skus


@pytest.fixture
def shift(cashier_client, shop):
    response = cashier_client.post(
        f"/api/v1/shop-counter/shops/{shop.pk}/shifts",
        {"opening_cash": "100.00"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def sell(client, shop, items, kind="counter_cash", key=None):
    return client.post(
        f"/api/v1/shop-counter/shops/{shop.pk}/sales",
        {
            "idempotency_key": key or uuid.uuid4().hex,
            "payment_kind": kind,
            "items": [{"sku_id": sku.pk, "quantity": qty} for sku, qty in items],
        },
        content_type="application/json",
    )


def shelf_of(shop, sku) -> int:
    found = shop.shelf.stock.filter(sku=sku).first()
    return found.quantity if found else 0


@pytest.fixture
def buyer_client(make_user, login_as):
    return login_as(make_user(Role.BUYER, username="buyer1", phone="13912345678"))


def paid_notice(payments, payment_id: str) -> dict:
    """Pay in the sandbox and wait for its signed notice (sent from its own thread)."""
    payments.pay(payment_id)
    deadline = time.monotonic() + 10
    notices: list = []
    while not notices and time.monotonic() < deadline:
        notices = payments.notices(payment_id)
        time.sleep(0.05)
    body = notices[0]["body"]
    return json.loads(body) if isinstance(body, str) else body
