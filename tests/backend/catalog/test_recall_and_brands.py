"""A recall holds until someone allowed to recall lifts it; the county's brands are attached
only by those the county allows (catalog.use_county_brand: the office, brand licensees)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from backend.accounts.roles import Role
from backend.catalog import services
from backend.catalog.models import Brand, Product, ProductStatus
from backend.common.errors import Forbidden
from backend.common.models import OutboxEvent
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def _status(client, product: Product, status: str):
    return _post(client, f"/api/v1/catalog/products/{product.pk}/status", {"status": status})


@pytest.fixture
def recalled(seller) -> Product:
    product = ProductFactory(seller=seller, status=ProductStatus.RECALLED)
    SkuFactory(product=product)
    return product


def test_the_merchant_cannot_lift_a_recall(merchant_client, recalled) -> None:
    events = OutboxEvent.objects.count()
    for target in ("off_sale", "on_sale", "draft"):
        response = _status(merchant_client, recalled, target)
        assert response.status_code == 403, target
        assert response.json()["error"]["code"] == "auth.forbidden"
    recalled.refresh_from_db()
    assert recalled.status == "recalled"
    assert OutboxEvent.objects.count() == events


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.OFFICE_STAFF])
def test_who_may_recall_may_lift_the_recall(make_user, login_as, recalled, role) -> None:
    response = _status(login_as(make_user(role)), recalled, "off_sale")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "off_sale"


def test_a_recall_landing_between_the_gate_and_the_lock_still_holds(merchant, seller) -> None:
    product = ProductFactory(seller=seller, status=ProductStatus.ON_SALE)
    SkuFactory(product=product)
    stale = Product.objects.get(pk=product.pk)  # what the merchant's gate saw: on sale
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.RECALLED)
    with pytest.raises(Forbidden):
        services.product_set_status(product=stale, status="off_sale", by=merchant)
    assert Product.objects.get(pk=product.pk).status == "recalled"


@pytest.fixture
def brands(db) -> dict[str, Brand]:
    return {
        "public": Brand.objects.create(name="沁水", kind=Brand.Kind.PUBLIC),
        "honey": Brand.objects.create(name="沁水蜂蜜", kind=Brand.Kind.QUALITY),
    }


def test_a_merchant_the_county_has_not_allowed_cannot_attach_its_brands(
    merchant_client, product_payload, brands, seller
) -> None:
    for brand in brands.values():
        response = _post(
            merchant_client, "/api/v1/catalog/products", {**product_payload, "brand_id": brand.pk}
        )
        assert response.status_code == 403
        assert response.json()["error"] == {
            "code": "product.brand_not_allowed",
            "message": "只有县里授权的经营者才能使用县域公共品牌和优质农产品品牌。",
            "extra": {"brand_id": brand.pk},
        }
    assert Product.objects.count() == 0
    product = ProductFactory(seller=seller)
    patched = merchant_client.patch(
        f"/api/v1/catalog/products/{product.pk}",
        {"brand_id": brands["honey"].pk},
        content_type="application/json",
    )
    assert patched.status_code == 403
    product.refresh_from_db()
    assert product.brand_id is None


def test_a_licensee_and_the_office_attach_them(
    merchant, merchant_client, make_user, login_as, product_payload, brands, seller
) -> None:
    office = login_as(make_user(Role.OFFICE_STAFF))
    body = {**product_payload, "brand_id": brands["public"].pk, "seller_id": seller.pk}
    assert _post(office, "/api/v1/catalog/products", body).status_code == 201
    # The office makes the merchant a brand licensee (a role, given in the user admin).
    merchant.groups.add(Group.objects.get(name="brand_licensee"))
    product_payload["skus"][0]["outer_id"] = "HONEY-500-B"
    product_payload["skus"][1]["outer_id"] = "HONEY-1000-B"
    body = {**product_payload, "brand_id": brands["honey"].pk}
    created = _post(merchant_client, "/api/v1/catalog/products", body)
    assert created.status_code == 201, created.content
    assert created.json()["brand_name"] == "沁水蜂蜜"
    assert list(Product.objects.values_list("brand__name", flat=True).order_by("id")) == [
        "沁水",
        "沁水蜂蜜",
    ]


def test_editing_a_branded_product_without_touching_the_brand_is_allowed(
    merchant_client, brands, seller
) -> None:
    product = ProductFactory(seller=seller, brand=brands["honey"])
    url = f"/api/v1/catalog/products/{product.pk}"
    same = {"title": "新标题", "brand_id": brands["honey"].pk}
    assert merchant_client.patch(url, same, content_type="application/json").status_code == 200
    removed = merchant_client.patch(url, {"brand_id": None}, content_type="application/json")
    assert removed.status_code == 200
    product.refresh_from_db()
    assert (product.title, product.brand_id) == ("新标题", None)
