from __future__ import annotations

import json
import time
import uuid

import pytest
from django.db import connection

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

ADDRESS = "山西省晋城市沁水县端氏镇示例路 8 号"


@pytest.fixture
def sellers(db):
    return OrganisationFactory(name="蜂业合作社"), OrganisationFactory(name="小米合作社")


@pytest.fixture
def skus(sellers):
    honey = ProductFactory(seller=sellers[0], title="刺槐蜂蜜", status=ProductStatus.ON_SALE)
    millet = ProductFactory(seller=sellers[1], title="黄小米", status=ProductStatus.ON_SALE)
    return {
        "honey": SkuFactory(product=honey, price="68.00", stock=10, outer_id="H-500"),
        "millet": SkuFactory(
            product=millet, price="49.90", stock=5, outer_id="M-2500", spec_text="2.5kg"
        ),
    }


@pytest.fixture
def buyer(make_user):
    return make_user(Role.BUYER, username="buyer1", phone="13912345678")


@pytest.fixture
def buyer_client(login_as, buyer):
    return login_as(buyer)


@pytest.fixture
def seller_client(make_user, login_as, sellers):
    user = make_user(Role.MERCHANT, username="honey-owner")
    MembershipFactory(user=user, organisation=sellers[0], role=Membership.Role.OWNER)
    return login_as(user)


def waiting_for_a_lock() -> int:
    """Backends of this test database waiting for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def checkout_body(items, key=None):
    return {
        "idempotency_key": key or uuid.uuid4().hex,
        "items": [{"sku_id": sku.pk, "quantity": qty} for sku, qty in items],
        "consignee": {"name": "张女士", "phone": "13912345678", "address": ADDRESS},
        "remark": "请用泡沫箱",
    }


@pytest.fixture
def place(buyer_client, payments):
    def do(items, key=None):
        response = buyer_client.post(
            "/api/v1/orders/checkouts", checkout_body(items, key), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        return response.json()

    return do


@pytest.fixture
def pay(payments, client):
    """Pay in the sandbox, then hand its real signed notice to our notify endpoint."""

    def do(checkout):
        payment_id = checkout["pay_url"].rsplit("/", 1)[-1]
        payments.pay(payment_id)
        deadline = time.monotonic() + 10
        notices = []
        while not notices and time.monotonic() < deadline:
            notices = payments.notices(payment_id)
            time.sleep(0.05)
        body = notices[0]["body"]
        body = json.loads(body) if isinstance(body, str) else body
        response = client.post("/api/v1/payments/notify", body, content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.content == b"success"
        return body

    return do
