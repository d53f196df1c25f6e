"""Where the payment provider sends the buyer back: only a path of this site, made absolute
by us; anything else is refused before a checkout exists."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from backend.orders.models import Checkout, Order, Payment
from tests.backend.orders.conftest import checkout_body

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "shop/orders/",
    " /shop/orders/",
]


@pytest.mark.parametrize("return_url", OFF_SITE)
def test_anything_but_a_path_of_this_site_is_422(buyer_client, skus, payments, return_url) -> None:
    body = {**checkout_body([(skus["honey"], 1)]), "return_url": return_url}
    response = buyer_client.post("/api/v1/orders/checkouts", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "request.validation"
    assert [f["path"] for f in error["extra"]["fields"]] == ["body.payload.return_url"]
    skus["honey"].refresh_from_db()
    assert skus["honey"].stock == 10
    assert (Checkout.objects.count(), Order.objects.count(), Payment.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("return_url", "path", "fragment", "came_from"),
    [
        ("/shop/orders/?from=pay#paid", "/shop/orders/", "paid", ["pay"]),
        ("", "/shop/orders/", "", None),
    ],
)
def test_the_provider_sends_the_buyer_back_to_this_site(
    buyer_client, skus, payments, return_url, path, fragment, came_from
) -> None:
    body = {**checkout_body([(skus["honey"], 1)]), "return_url": return_url}
    response = buyer_client.post("/api/v1/orders/checkouts", body, content_type="application/json")
    assert response.status_code == 201, response.content
    payment_id = response.json()["pay_url"].rsplit("/", 1)[-1]
    # The buyer leaves the provider's pay page: where does the provider send them?
    back = requests.post(
        f"{payments.url}/pay/{payment_id}/cancel", allow_redirects=False, timeout=10
    )
    assert back.status_code == 303
    where = urlsplit(back.headers["Location"])
    assert (where.scheme, where.netloc, where.path, where.fragment) == (
        "http",
        "testserver",
        path,
        fragment,
    )
    assert parse_qs(where.query).get("from") == came_from
