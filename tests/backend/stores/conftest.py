"""Stores tests: the three marketplace sandboxes as real processes, a platform app on each,
a merchant with an organisation, and the OAuth dance a browser would do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.utils import timezone

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.stores.job_runner import sync_job_run
from backend.stores.models import PlatformApp, Store
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory
from tests.shop_connectors.conftest import Sandbox, sandboxes  # noqa: F401 (a fixture)

APP_KEY = "qs-app-key"
APP_SECRET = "qs-app-secret-never-shown"
SHOPS = {"shop-a": "沁水特产馆", "shop-b": "另一家店"}
ORDER_SHOP = "shop-a"  # the store whose orders are imported


@pytest.fixture(autouse=True)
def _one_item_at_a_time(settings) -> None:
    """Jobs run in the test's own transaction here, which threads (each with a connection of
    its own) could not see; the worker tests run them concurrently, as deployed."""
    settings.STORES_SYNC_CONCURRENCY = 1


@pytest.fixture(params=["taobao", "pinduoduo", "jd"])
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sandbox(sandboxes: dict[str, Sandbox], platform: str) -> Sandbox:  # noqa: F811
    box = sandboxes[platform]
    box.control("reset")
    box.control("apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
    for shop_id, name in SHOPS.items():
        box.control("shops", {"shop_id": shop_id, "name": name})
    return box


@pytest.fixture
def app(db: None, sandbox: Sandbox, platform: str) -> PlatformApp:
    return PlatformApp.objects.create(
        platform=platform,
        name=f"{platform} app",
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        endpoint_base=sandbox.base,
    )


@pytest.fixture
def seller(db: None):
    return OrganisationFactory(name="沁水县示例小米合作社")


@pytest.fixture
def merchant(make_user, seller):
    user = make_user(Role.MERCHANT, username="wang")
    MembershipFactory(user=user, organisation=seller, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def merchant_client(login_as, merchant):
    return login_as(merchant)


@pytest.fixture
def other_client(make_user, login_as):
    user = make_user(Role.MERCHANT, username="zhao")
    MembershipFactory(user=user, organisation=OrganisationFactory(name="别家合作社"))
    return login_as(user)


@dataclass
class Authorised:
    location: str  # where the platform sent the browser back
    code: str
    state: str


def authorise(sandbox: Sandbox, authorize_url: str, shop_id: str = "shop-a") -> Authorised:
    """What the merchant does on the platform's page: pick the shop, press authorise."""
    url = urlsplit(authorize_url)
    params = dict(parse_qsl(url.query))
    answer = requests.post(
        f"{sandbox.base}{url.path}", data={**params, "shop_id": shop_id}, timeout=10,
        allow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    back = dict(parse_qsl(urlsplit(location).query))
    return Authorised(location, back["code"], back["state"])


def callback(client, auth: Authorised):
    path = urlsplit(auth.location).path
    assert path == "/api/v1/stores/oauth/callback"
    return client.get(path, {"code": auth.code, "state": auth.state})


def bind(client, sandbox: Sandbox, app: PlatformApp, shop_id: str = "shop-a") -> Store:
    answer = client.post("/api/v1/stores/bind", {"app_id": app.pk}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    back = callback(client, authorise(sandbox, answer.json()["authorize_url"], shop_id))
    assert back.status_code == 302, back.content
    assert back["Location"].startswith("/merchant/stores/?bound="), back["Location"]
    return Store.objects.get(pk=int(back["Location"].rsplit("=", 1)[1]))


@pytest.fixture
def millet(seller):
    """An on-sale product with two SKUs (spec 500g and 1kg)."""
    category = CategoryFactory(name="杂粮")
    product = ProductFactory(seller=seller, category=category, title="沁水小米", status="on_sale")
    SkuFactory(product=product, spec_text="500g", price=Decimal("19.90"), stock=30,
               outer_id="MILLET-500")  # fmt: skip
    SkuFactory(product=product, spec_text="1kg", price=Decimal("36.00"), stock=12,
               outer_id="MILLET-1000")  # fmt: skip
    return product


LEAVES = {  # platform -> (parent, leaf of 杂粮, sale attribute, spec values for Taobao)
    "taobao": ("50002766", "50016422", "1627207", {"500g": "3001", "1kg": "3002"}),
    "pinduoduo": ("8172", "8439", "1215", {}),
    "jd": ("1584", "12202", "1001", {}),
}


def map_store(client, store: Store, category_id: int) -> None:
    """The merchant's choices, through the API: the freight template and the category."""
    base = f"/api/v1/stores/{store.pk}"
    answer = client.put(f"{base}/freight-template", {"template_id": "321"}, "application/json")
    assert answer.status_code == 200, answer.content
    parent, leaf, _sale, specs = LEAVES[store.app.platform]
    assert client.get(f"{base}/remote/categories", {"parent_id": parent}).status_code == 200
    body = {"remote_parent_id": parent, "remote_category_id": leaf, "spec_values": specs}
    answer = client.put(f"{base}/mappings/{category_id}", body, "application/json")
    assert answer.status_code == 200, answer.content


def run_job(client, store: Store, product_ids: list[int], kind: str = "publish") -> dict:
    """Start a job through the API and run it here, as the sync worker would."""
    answer = client.post(
        f"/api/v1/stores/{store.pk}/jobs",
        {"kind": kind, "product_ids": product_ids},
        "application/json",
    )
    assert answer.status_code == 201, answer.content
    job_id = answer.json()["id"]
    while sync_job_run(job_id=job_id) is not None:
        pass
    return client.get(f"/api/v1/stores/{store.pk}/jobs/{job_id}").json()


def writes(calls: dict[str, int]) -> dict[str, int]:
    """The write calls among a sandbox's call counts."""
    marks = ("add", "update", "listing", "sale.status.set", ".write.")
    return {m: n for m, n in calls.items() if any(k in m for k in marks)}


@pytest.fixture
def store(app: PlatformApp, sandbox: Sandbox, seller) -> Store:
    token = sandbox.control("tokens", {"app_key": APP_KEY, "shop_id": ORDER_SHOP})
    return Store.objects.create(
        app=app,
        organisation=seller,
        shop_id=ORDER_SHOP,
        shop_name="沁水特产馆",
        access_token=token["access_token"],
        refresh_token=token["refresh_token"],
        token_expires_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def seed_sku(seller):
    """Our SKU whose outer id the sandbox's seeded orders carry."""
    product = ProductFactory(seller=seller, title="沁水小米", status="on_sale")
    return SkuFactory(product=product, outer_id="SEED-1", price=Decimal("19.90"), stock=100_000)
