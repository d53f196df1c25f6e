"""The office's view: every store of the county, the plan's "≥ 3 online specialty stores"
counted from the records; lists pinned to a fixed number of queries."""

from __future__ import annotations

from backend.accounts.roles import Role
from backend.stores.models import PlatformApp
from tests.backend.stores.conftest import APP_KEY, APP_SECRET, SHOPS, bind


def test_three_stores_on_three_platforms_counted_for_the_office(
    sandboxes, merchant_client, make_user, login_as, other_client, django_assert_max_num_queries
):
    for platform in ("taobao", "pinduoduo", "jd"):
        box = sandboxes[platform]
        box.control("reset")
        box.control("apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
        box.control("shops", {"shop_id": "shop-a", "name": SHOPS["shop-a"]})
        app = PlatformApp.objects.create(platform=platform, name=platform, app_key=APP_KEY,
                                         app_secret=APP_SECRET, endpoint_base=box.base)  # fmt: skip
        bind(merchant_client, box, app)
    office = login_as(make_user(Role.OFFICE_STAFF))
    with django_assert_max_num_queries(8):
        summary = office.get("/api/v1/stores/office/summary").json()
    assert summary["active_stores"] == 3
    assert summary["by_platform"] == {"taobao": 1, "pinduoduo": 1, "jd": 1}
    assert [(s["platform"], s["shop_name"], s["listed"]) for s in summary["stores"]] == [
        ("taobao", "沁水特产馆", 0),
        ("pinduoduo", "沁水特产馆", 0),
        ("jd", "沁水特产馆", 0),
    ]
    with django_assert_max_num_queries(8):
        assert len(office.get("/api/v1/stores").json()) == 3
    assert other_client.get("/api/v1/stores/office/summary").status_code == 403
    assert merchant_client.get("/api/v1/stores/office/summary").status_code == 403
