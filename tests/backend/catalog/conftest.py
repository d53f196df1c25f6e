from __future__ import annotations

import importlib

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


@pytest.fixture(autouse=True)
def default_image_specs(request) -> None:
    """The spec table as its data migration seeds it. A transactional test elsewhere on this
    worker flushes every table, seeded rows included; put them back for the tests that derive."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")  # transactional when the test's marker says so
    from django.apps import apps

    seed = importlib.import_module("backend.catalog.migrations.0002_seed_image_specs").seed
    seed(apps, None)
