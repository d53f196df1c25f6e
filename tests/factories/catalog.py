from __future__ import annotations

from decimal import Decimal

import factory

from backend.catalog.models import Category, Product, Sku
from tests.factories.accounts import OrganisationFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "蜂蜜"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"沁水刺槐蜂蜜 {n}")
    category = factory.SubFactory(CategoryFactory)


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory)
    seller = factory.LazyAttribute(lambda sku: sku.product.seller)
    spec_text = "500g 瓶装"
    spec = factory.LazyAttribute(lambda sku: {"规格": sku.spec_text})
    price = Decimal("68.00")
    stock = 10
    weight_grams = 760
    outer_id = factory.Sequence(lambda n: f"QS-TEST-{n}")
