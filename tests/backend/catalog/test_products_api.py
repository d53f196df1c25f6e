from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backend.accounts.roles import Role
from backend.catalog.models import Product, Sku, StockEntry
from backend.common.models import OutboxEvent
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def test_merchant_creates_a_product_with_two_skus(merchant_client, seller, product_payload) -> None:
    response = _post(merchant_client, "/api/v1/catalog/products", product_payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["seller_id"], body["status"], body["title"]) == (
        seller.pk,
        "draft",
        "沁水刺槐蜂蜜",
    )
    assert [(s["outer_id"], s["price"], s["list_price"], s["stock"]) for s in body["skus"]] == [
        ("HONEY-500", "68.00", "79.00", 20),
        ("HONEY-1000", "128.00", None, 5),
    ]
    ledger = StockEntry.objects.order_by("id")
    assert [(e.sku.outer_id, e.delta, e.stock_after, e.reason) for e in ledger] == [
        ("HONEY-500", 20, 20, "adjustment"),
        ("HONEY-1000", 5, 5, "adjustment"),
    ]


@pytest.mark.parametrize(
    ("sku_change", "path"),
    [
        ({"price": "-1.00"}, "body.payload.skus.0.price"),
        ({"price": 39.9}, "body.payload.skus.0.price"),
        ({"price": "39.999"}, "body.payload.skus.0.price"),
        ({"stock": -3}, "body.payload.skus.0.stock"),
        ({"weight_grams": 0}, "body.payload.skus.0.weight_grams"),
    ],
)
def test_bad_sku_values_are_422_and_nothing_is_stored(
    merchant_client, product_payload, sku_change, path
) -> None:
    product_payload["skus"][0].update(sku_change)
    response = _post(merchant_client, "/api/v1/catalog/products", product_payload)
    assert response.status_code == 422
    assert path in [f["path"] for f in response.json()["error"]["extra"]["fields"]]
    assert (Product.objects.count(), Sku.objects.count(), OutboxEvent.objects.count()) == (0, 0, 0)


def test_list_price_below_price_is_refused(merchant_client, product_payload) -> None:
    product_payload["skus"][0]["list_price"] = "10.00"
    response = _post(merchant_client, "/api/v1/catalog/products", product_payload)
    assert response.status_code == 422
    assert Product.objects.count() == 0


def test_duplicate_outer_id_within_a_seller(merchant_client, seller, product_payload) -> None:
    product_payload["skus"][1]["outer_id"] = "HONEY-500"
    response = _post(merchant_client, "/api/v1/catalog/products", product_payload)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sku.outer_id_taken"
    assert (Product.objects.count(), Sku.objects.count()) == (0, 0)
    # Another seller may use the same outer id.
    SkuFactory(outer_id="HONEY-500")
    product_payload["skus"].pop()
    assert _post(merchant_client, "/api/v1/catalog/products", product_payload).status_code == 201


def test_expired_licence_blocks_sale(merchant_client, product_payload) -> None:
    product_payload.update(
        needs_licence=True,
        licence_sc_no="SC11114052100012",
        licence_holder="合作社",
        licence_expires=str(date.today() - timedelta(days=1)),
    )
    product = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    url = f"/api/v1/catalog/products/{product['id']}/status"
    refused = _post(merchant_client, url, {"status": "on_sale"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "product.licence_expired"
    assert Product.objects.get().status == "draft"
    renewed = merchant_client.patch(
        f"/api/v1/catalog/products/{product['id']}",
        {"licence_expires": str(date.today() + timedelta(days=365))},
        content_type="application/json",
    )
    assert renewed.status_code == 200
    assert _post(merchant_client, url, {"status": "on_sale"}).json()["status"] == "on_sale"


def test_licence_needs_number_and_expiry(merchant_client, product_payload) -> None:
    product_payload.update(needs_licence=True)
    response = _post(merchant_client, "/api/v1/catalog/products", product_payload)
    assert response.status_code == 422
    assert Product.objects.count() == 0


def test_status_moves_and_an_illegal_one(merchant_client, product_payload) -> None:
    product = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    url = f"/api/v1/catalog/products/{product['id']}/status"
    assert _post(merchant_client, url, {"status": "off_sale"}).status_code == 409
    assert _post(merchant_client, url, {"status": "on_sale"}).json()["status"] == "on_sale"
    assert _post(merchant_client, url, {"status": "off_sale"}).json()["status"] == "off_sale"
    illegal = _post(merchant_client, url, {"status": "draft"})
    assert illegal.status_code == 409
    assert illegal.json()["error"]["code"] == "product.illegal_transition"
    # Merchants may not recall; inspectors may.
    assert _post(merchant_client, url, {"status": "recalled"}).status_code == 403


def test_inspector_recalls(merchant_client, product_payload, make_user, login_as) -> None:
    product = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    inspector = login_as(make_user(Role.INSPECTOR))
    url = f"/api/v1/catalog/products/{product['id']}/status"
    assert _post(inspector, url, {"status": "recalled"}).json()["status"] == "recalled"


def test_product_without_skus_cannot_go_on_sale(merchant_client, product_payload) -> None:
    product_payload["skus"] = []
    product = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    response = _post(
        merchant_client, f"/api/v1/catalog/products/{product['id']}/status", {"status": "on_sale"}
    )
    assert response.json()["error"]["code"] == "product.not_sellable"


def test_owner_checks(merchant_client, make_user, login_as, product_payload) -> None:
    mine = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    other_org = OrganisationFactory()
    theirs = ProductFactory(seller=other_org)
    assert merchant_client.get(f"/api/v1/catalog/products/{theirs.pk}").status_code == 404
    patched = merchant_client.patch(
        f"/api/v1/catalog/products/{theirs.pk}", {"title": "改名"}, content_type="application/json"
    )
    assert patched.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title != "改名"
    listed = merchant_client.get("/api/v1/catalog/products").json()
    assert [p["id"] for p in listed["items"]] == [mine["id"]]
    office = login_as(make_user(Role.OFFICE_STAFF))
    assert office.get("/api/v1/catalog/products").json()["total"] == 2
    assert office.get(f"/api/v1/catalog/products/{theirs.pk}").status_code == 200
    for role in (Role.BUYER, Role.STREAMER, Role.JUDGE):
        client = login_as(make_user(role))
        assert client.get("/api/v1/catalog/products").status_code == 403
    # A merchant of another organisation cannot create products for ours.
    outsider = make_user(Role.MERCHANT)
    MembershipFactory(user=outsider, organisation=other_org)
    body = {**product_payload, "seller_id": mine["seller_id"]}
    assert _post(login_as(outsider), "/api/v1/catalog/products", body).status_code == 404


def test_list_filters_and_flat_query_count(
    merchant_client, seller, django_assert_max_num_queries
) -> None:
    for n in range(12):
        SkuFactory(product=ProductFactory(seller=seller, title=f"小米 {n}"), stock=n)
    SkuFactory(product=ProductFactory(seller=seller, title="刺槐蜂蜜"), outer_id="FIND-ME")
    with django_assert_max_num_queries(10):
        body = merchant_client.get("/api/v1/catalog/products?limit=50").json()
    assert body["total"] == 13
    assert merchant_client.get("/api/v1/catalog/products?q=蜂蜜").json()["total"] == 1
    assert merchant_client.get("/api/v1/catalog/products?q=FIND-ME").json()["total"] == 1
    assert merchant_client.get("/api/v1/catalog/products?status=on_sale").json()["total"] == 0
    item = next(i for i in body["items"] if i["title"] == "小米 11")
    assert (item["sku_count"], item["stock_total"], item["price_min"]) == (1, 11, "68.00")


@pytest.mark.parametrize(
    "field", ["price", "spec", "spec_text", "weight_grams", "volume_cm3", "outer_id", "is_active"]
)
def test_sku_patch_with_null_for_a_required_field_is_422(
    merchant_client, product_payload, field
) -> None:
    """Fuzz-found: `"price": null` reached the service and answered 500."""
    created = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    sku_id = created["skus"][0]["id"]
    response = merchant_client.patch(
        f"/api/v1/catalog/skus/{sku_id}", {field: None}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "request.validation"
    assert [f["path"] for f in error["extra"]["fields"]] == [f"body.payload.{field}"]
    sku = Sku.objects.get(pk=sku_id)
    assert (sku.price, sku.spec_text, sku.weight_grams, sku.outer_id, sku.is_active) == (
        Decimal("68.00"),
        "500g 瓶装",
        760,
        "HONEY-500",
        True,
    )


def test_sku_patch_may_clear_the_list_price(merchant_client, product_payload) -> None:
    created = _post(merchant_client, "/api/v1/catalog/products", product_payload).json()
    sku_id = created["skus"][0]["id"]
    response = merchant_client.patch(
        f"/api/v1/catalog/skus/{sku_id}", {"list_price": None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["price"], response.json()["list_price"]) == ("68.00", None)
