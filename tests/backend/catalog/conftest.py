from __future__ import annotations

import pytest

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalog import CategoryFactory


@pytest.fixture
def seller(db):
    return OrganisationFactory(name="沁水县示例蜂业专业合作社")


@pytest.fixture
def merchant(make_user, seller):
    user = make_user(Role.MERCHANT, username="li")
    MembershipFactory(user=user, organisation=seller, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def merchant_client(login_as, merchant):
    return login_as(merchant)


@pytest.fixture
def category(db):
    return CategoryFactory(name="蜂蜜")


@pytest.fixture
def product_payload(category):
    return {
        "title": "沁水刺槐蜂蜜",
        "category_id": category.pk,
        "description": "中村镇蜂场",
        "skus": [
            {
                "spec_text": "500g 瓶装",
                "price": "68.00",
                "list_price": "79.00",
                "stock": 20,
                "weight_grams": 760,
                "outer_id": "HONEY-500",
            },
            {
                "spec_text": "1kg 瓶装",
                "price": "128.00",
                "stock": 5,
                "weight_grams": 1350,
                "outer_id": "HONEY-1000",
            },
        ],
    }
