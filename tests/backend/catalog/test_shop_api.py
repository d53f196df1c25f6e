"""The public storefront API: anonymous, on-sale products only, money as strings, no stock."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from backend.catalog.models import Brand, ImageVariant, Product, ProductImage, ProductStatus
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


def _image(product: Product, position: int, status: str, variants: list[str]) -> ProductImage:
    image = ProductImage.objects.create(
        product=product,
        position=position,
        original=f"catalog/originals/p{product.pk}-{position}.jpg",
        format="JPEG",
        width=1200,
        height=1200,
        size_bytes=1000,
        sha256="0" * 64,
        status=status,
    )
    for name in variants:
        ImageVariant.objects.create(
            image=image,
            spec_name=name,
            platform="own",
            file=f"catalog/variants/p{product.pk}-{position}-{name}.jpg",
            width=240,
            height=240,
            size_bytes=100,
            format="JPEG",
        )
    return image


@pytest.fixture
def shop(db):
    seller = OrganisationFactory(name="沁水县示例蜂业专业合作社")
    brand = Brand.objects.create(name="沁水", kind="public")
    honey = ProductFactory(seller=seller, title="沁水刺槐蜂蜜", brand=brand, status="on_sale")
    SkuFactory(product=honey, spec_text="1kg 瓶装", price="128.00", stock=3, outer_id="H-1000")
    SkuFactory(
        product=honey, spec_text="500g 瓶装", price="68.00", list_price="79.00", outer_id="H-500"
    )
    SkuFactory(product=honey, spec_text="停用", price="1.00", is_active=False, outer_id="H-OLD")
    SkuFactory(product=honey, spec_text="售罄", price="99.00", stock=0, outer_id="H-0")
    _image(honey, 0, "ready", ["thumbnail", "square_main"])
    _image(honey, 1, "processing", [])
    millet = ProductFactory(seller=seller, title="端氏黄小米", status="on_sale")
    SkuFactory(product=millet, spec_text="2.5kg", price="49.90", outer_id="M-2500")
    _image(millet, 0, "pending", [])
    draft = ProductFactory(seller=seller, title="草稿蜂蜜", status=ProductStatus.DRAFT)
    SkuFactory(product=draft, outer_id="D-1")
    off = ProductFactory(seller=seller, title="下架蜂蜜", status=ProductStatus.OFF_SALE)
    SkuFactory(product=off, outer_id="O-1")
    return {"honey": honey, "millet": millet, "draft": draft, "off": off}


def test_anonymous_visitor_sees_only_on_sale_products(shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = Client().get("/api/v1/shop/products")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 2
    by_title = {item["title"]: item for item in body["items"]}
    assert set(by_title) == {"沁水刺槐蜂蜜", "端氏黄小米"}
    honey = by_title["沁水刺槐蜂蜜"]
    assert honey == {
        "id": shop["honey"].pk,
        "title": "沁水刺槐蜂蜜",
        "brand_name": "沁水",
        "seller_name": "沁水县示例蜂业专业合作社",
        "price_min": "68.00",
        "thumbnail_url": f"/media/catalog/variants/p{shop['honey'].pk}-0-thumbnail.jpg",
    }
    assert by_title["端氏黄小米"]["price_min"] == "49.90"
    assert by_title["端氏黄小米"]["thumbnail_url"] is None  # main image not processed yet
    assert by_title["端氏黄小米"]["brand_name"] is None


def test_list_query_count_does_not_grow_with_products(shop, django_assert_max_num_queries):
    for n in range(10):
        product = ProductFactory(title=f"小米 {n}", status="on_sale", category=CategoryFactory())
        SkuFactory(product=product, outer_id=f"X-{n}")
        _image(product, 0, "ready", ["thumbnail"])
    with django_assert_max_num_queries(4):
        response = Client().get("/api/v1/shop/products", {"limit": 50})
    assert response.json()["total"] == 12


def test_search_and_category_filter_and_paging(shop):
    client = Client()
    found = client.get("/api/v1/shop/products", {"q": "小米"}).json()
    assert [i["title"] for i in found["items"]] == ["端氏黄小米"]
    assert client.get("/api/v1/shop/products", {"q": "草稿"}).json()["total"] == 0
    grain = CategoryFactory(name="杂粮")
    Product.objects.filter(pk=shop["millet"].pk).update(category=grain)
    by_cat = client.get("/api/v1/shop/products", {"category_id": grain.pk}).json()
    assert [i["title"] for i in by_cat["items"]] == ["端氏黄小米"]
    page = client.get("/api/v1/shop/products", {"limit": 1, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)


def test_product_detail_shows_active_skus_without_stock_figures(
    shop, django_assert_max_num_queries
):
    honey = shop["honey"]
    with django_assert_max_num_queries(4):
        response = Client().get(f"/api/v1/shop/products/{honey.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "沁水刺槐蜂蜜"
    assert body["seller_name"] == "沁水县示例蜂业专业合作社"
    assert body["category_name"] == "蜂蜜"
    assert body["images"] == [f"/media/catalog/variants/p{honey.pk}-0-square_main.jpg"]
    assert [
        (s["spec_text"], s["price"], s["list_price"], s["stock_state"]) for s in body["skus"]
    ] == [
        ("500g 瓶装", "68.00", "79.00", "in_stock"),
        ("售罄", "99.00", None, "out"),
        ("1kg 瓶装", "128.00", None, "low"),
    ]
    assert all("stock" not in sku for sku in body["skus"])
    assert isinstance(body["skus"][0]["id"], int)


@pytest.mark.parametrize("which", ["draft", "off"])
def test_product_not_on_sale_is_404_envelope(shop, which):
    response = Client().get(f"/api/v1/shop/products/{shop[which].pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_product_is_404_envelope(db):
    response = Client().get("/api/v1/shop/products/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_money_is_a_string_and_decimal_exact(shop):
    SkuFactory(product=shop["millet"], spec_text="5kg", price=Decimal("89.9"), outer_id="M-5")
    body = Client().get(f"/api/v1/shop/products/{shop['millet'].pk}").json()
    assert [s["price"] for s in body["skus"]] == ["49.90", "89.90"]


@pytest.mark.django_db
def test_categories_list_only_those_with_something_on_sale(client) -> None:
    from backend.catalog.models import ProductStatus
    from tests.factories.catalog import CategoryFactory, ProductFactory

    honey, millet, empty = (CategoryFactory(name=n) for n in ("蜂蜜", "小米", "山珍"))
    ProductFactory(category=honey, status=ProductStatus.ON_SALE)
    ProductFactory(category=honey, status=ProductStatus.ON_SALE)
    ProductFactory(category=millet, status=ProductStatus.ON_SALE)
    ProductFactory(category=empty, status=ProductStatus.DRAFT)
    response = client.get("/api/v1/shop/categories")
    assert response.status_code == 200
    assert response.json() == [
        {"id": honey.pk, "name": "蜂蜜", "products": 2},
        {"id": millet.pk, "name": "小米", "products": 1},
    ]
