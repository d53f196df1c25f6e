from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from backend.live.models import LineupItem
from backend.orders.services import Consignee
from backend.promotions.services_coupons import CouponTerms, coupon_create
from tests.backend.live.test_room_redis_restart import own_redis  # noqa: F401 (a Redis of its own)
from tests.backend.orders.conftest import ADDRESS
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.factories.records import session_held

WHO = Consignee(name="张女士", phone="13912345678", address=ADDRESS)


@pytest.fixture
def streamer(make_user):
    return make_user(Role.STREAMER, username="streamer1")


@pytest.fixture
def buyer(make_user):
    return make_user(Role.BUYER, username="buyer1", phone="13912345678")


@pytest.fixture
def session(streamer):
    return session_held(streamer=streamer, started=timezone.now(), state="live")


@pytest.fixture
def skus(db):
    """Three sellers' SKUs: honey 68.00, millet 49.90, vinegar 20.00 (stock 10 each)."""
    made = {}
    for name, price in (("honey", "68.00"), ("millet", "49.90"), ("vinegar", "20.00")):
        product = ProductFactory(
            seller=OrganisationFactory(), title=name, status=ProductStatus.ON_SALE
        )
        made[name] = SkuFactory(product=product, price=price, stock=10)
    return made


@pytest.fixture
def lineup(session, skus):
    """Honey and millet on the session's cards at live prices 59.00 and 45.00."""
    for sku, price in ((skus["honey"], "59.00"), (skus["millet"], "45.00")):
        LineupItem.objects.create(session=session, sku=sku, live_price=price, state="listed")
    return session


def terms(**overrides) -> CouponTerms:
    now = timezone.now()
    base = {
        "name": "满 50 减 10",
        "kind": "amount",
        "amount_off": Decimal("10.00"),
        "percent_off": 0,
        "threshold": Decimal("50.00"),
        "total_quantity": 20,
        "per_user_limit": 1,
        "claim_starts_at": now - timedelta(minutes=1),
        "claim_ends_at": now + timedelta(minutes=30),
        "valid_until": now + timedelta(days=1),
    }
    return CouponTerms(**{**base, **overrides})


@pytest.fixture
def make_coupon(streamer):
    def make(sessions=(), **overrides):
        return coupon_create(by=streamer, terms=terms(**overrides), sessions=list(sessions))

    return make
