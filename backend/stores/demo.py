"""Demo stores: the demo merchant's 沁水特产馆 on each marketplace sandbox, bound by OAuth,
mapped and published. Run by scripts/marketplaces_demo.py once the sandboxes answer
(`demo_load` runs before they start, so its loader only says so)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import requests
from django.db import transaction

from backend.accounts.models import Membership, User
from backend.catalog.models import Category, Product, ProductStatus
from backend.stores.job_runner import sync_job_run
from backend.stores.models import Listing, Platform, PlatformApp, Store, SyncJob
from backend.stores.services import store_bind_finish, store_bind_start
from backend.stores.services_mapping import category_mapping_set, store_freight_template_set
from backend.stores.services_sync import sync_job_start

APP_KEY, APP_SECRET = "qinshui-demo-app", "qinshui-demo-app-secret"  # demo only: public
SHOP = "qinshui-specialty"
# Our category -> (platform parent, leaf, required attributes, Taobao spec values).
_SPECS = {"250g 瓶装": "3000", "500g 瓶装": "3001", "1kg 瓶装": "3002", "礼盒 400g": "3008"}
MAPPINGS = {
    Platform.TAOBAO: {
        "蜂蜜": ("50002766", "50050359", {"122216347": "1001"}),
        "山珍": ("50002766", "50010550", {}),
    },
    Platform.PINDUODUO: {
        "蜂蜜": ("8172", "8440", {"310": "1001"}),
        "山珍": ("8172", "8441", {}),
    },
    Platform.JD: {"蜂蜜": ("1584", "12203", {"2001": "1001"}), "山珍": ("1584", "12204", {})},
}


def _authorise(base: str, authorize_url: str) -> tuple[str, str]:
    """What the merchant does on the platform's page: pick the shop, press authorise."""
    url = urlsplit(authorize_url)
    form = {**dict(parse_qsl(url.query)), "shop_id": SHOP}
    answer = requests.post(f"{base}{url.path}", data=form, allow_redirects=False, timeout=10)
    back = dict(parse_qsl(urlsplit(answer.headers["Location"]).query))
    return back["code"], back["state"]


def demo_store_bind(*, platform: str, base: str) -> Store:
    merchant = User.objects.get(username="merchant")
    organisation_id = (
        Membership.objects.filter(user=merchant)
        .order_by("id")
        .values_list("organisation_id", flat=True)[0]
    )
    app, _created = PlatformApp.objects.update_or_create(
        platform=platform,
        app_key=APP_KEY,
        defaults={"name": f"{platform} 演示应用", "app_secret": APP_SECRET, "endpoint_base": base},
    )
    url = store_bind_start(app=app, organisation_id=organisation_id, by=merchant)
    code, state = _authorise(base, url)
    store = store_bind_finish(code=code, state=state, by=merchant)
    store_freight_template_set(store=store, template_id="321")
    for name, (parent, leaf, attributes) in MAPPINGS[Platform(platform)].items():
        category_mapping_set(
            store=store,
            category=Category.objects.get(name=name),
            remote_parent_id=parent,
            remote_category_id=leaf,
            attributes=attributes,
            spec_values=_SPECS,
        )
    return store


def demo_store_publish(*, store: Store) -> SyncJob:
    """The sandbox starts empty on every run: forget what was pushed before, publish all."""
    with transaction.atomic():
        Listing.objects.filter(store=store).delete()
        ids = Product.objects.filter(
            seller_id=store.organisation_id, status=ProductStatus.ON_SALE
        ).values_list("pk", flat=True)
        job = sync_job_start(store=store, kind="publish", product_ids=list(ids))
    while sync_job_run(job_id=job.pk) is not None:
        pass
    return SyncJob.objects.get(pk=job.pk)


def demo_stores_load() -> str:
    return "Demo stores: bound by OAuth by scripts/marketplaces_demo.py once the sandboxes run."
