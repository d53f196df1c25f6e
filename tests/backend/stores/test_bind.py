"""Binding a store by OAuth against each sandbox, the signed single-use state, the token
refresh, and who may see or drive a store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.common.models import OutboxEvent
from backend.stores.models import BindState, Store
from backend.stores.services import stores_tokens_refresh
from tests.backend.stores.conftest import APP_SECRET, authorise, bind, callback

FREIGHT_READ = {
    "taobao": "taobao.delivery.templates.get",
    "pinduoduo": "pdd.goods.logistics.template.get",
    "jd": "jingdong.freight.query.getFreightTemplates",
}


def test_bind_end_to_end(merchant_client, merchant, seller, sandbox, app, platform):
    store = bind(merchant_client, sandbox, app)

    assert (store.organisation_id, store.shop_id) == (seller.pk, "shop-a")
    assert store.shop_name == "沁水特产馆"
    assert store.status == "active"
    assert store.bound_by_id == merchant.pk
    assert store.token_expires_at > timezone.now() + timedelta(hours=23)
    # The store exists only after a call with the new token succeeded (the freight read).
    calls = sandbox.state()["calls"]
    read = FREIGHT_READ[platform]
    assert calls == {read: 1}
    event = OutboxEvent.objects.get(name="store.bound")
    assert event.payload == {
        "store_id": store.pk,
        "organisation_id": seller.pk,
        "platform": platform,
        "shop_id": "shop-a",
        "shop_name": "沁水特产馆",
        "rebound": False,
        "at": event.payload["at"],
    }
    listed = merchant_client.get("/api/v1/stores").json()
    assert [(s["id"], s["platform"], s["shop_name"], s["status"]) for s in listed] == [
        (store.pk, platform, "沁水特产馆", "active")
    ]


def test_tokens_and_secret_are_encrypted_and_never_answered(merchant_client, sandbox, app):
    store = bind(merchant_client, sandbox, app)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM stores_store WHERE id = %s", [store.pk]
        )
        raw_access, raw_refresh = cursor.fetchone()
        cursor.execute("SELECT app_secret FROM stores_platformapp WHERE id = %s", [app.pk])
        (raw_secret,) = cursor.fetchone()
    assert store.access_token not in raw_access and store.refresh_token not in raw_refresh
    assert APP_SECRET not in raw_secret
    for url in ("/api/v1/stores", f"/api/v1/stores/{store.pk}", "/api/v1/stores/apps"):
        body = merchant_client.get(url).content.decode()
        for secret in (store.access_token, store.refresh_token, APP_SECRET):
            assert secret not in body


def test_a_forged_state_is_refused(merchant_client, sandbox, app):
    answer = merchant_client.post(
        "/api/v1/stores/bind", {"app_id": app.pk}, content_type="application/json"
    )
    auth = authorise(sandbox, answer.json()["authorize_url"])
    auth.state = auth.state[:-2] + ("AA" if not auth.state.endswith("AA") else "BB")
    back = callback(merchant_client, auth)
    assert back["Location"] == "/merchant/stores/?bind_error=store.oauth_state_invalid"
    assert Store.objects.count() == 0
    assert BindState.objects.get().used_at is None
    assert sandbox.state()["calls"] == {}  # the code was never even exchanged


def test_a_replayed_state_is_refused(merchant_client, sandbox, app):
    store = bind(merchant_client, sandbox, app)
    answer = merchant_client.post(
        "/api/v1/stores/bind", {"app_id": app.pk}, content_type="application/json"
    )
    auth = authorise(sandbox, answer.json()["authorize_url"])
    assert callback(merchant_client, auth)["Location"] == f"/merchant/stores/?bound={store.pk}"
    replay = callback(merchant_client, auth)
    assert replay["Location"] == "/merchant/stores/?bind_error=store.oauth_state_used"
    assert Store.objects.count() == 1
    bound = OutboxEvent.objects.filter(name="store.bound").order_by("id")
    assert list(bound.values_list("payload__rebound", flat=True)) == [False, True]


def test_another_users_state_is_refused(merchant_client, other_client, sandbox, app):
    answer = merchant_client.post(
        "/api/v1/stores/bind", {"app_id": app.pk}, content_type="application/json"
    )
    auth = authorise(sandbox, answer.json()["authorize_url"])
    back = callback(other_client, auth)
    assert back["Location"] == "/merchant/stores/?bind_error=store.oauth_state_used"
    assert Store.objects.count() == 0


def test_one_merchant_cannot_see_or_drive_anothers_store(
    merchant_client, other_client, sandbox, app
):
    store = bind(merchant_client, sandbox, app)
    assert other_client.get("/api/v1/stores").json() == []
    for method, url, body in (
        ("get", f"/api/v1/stores/{store.pk}", None),
        ("post", f"/api/v1/stores/{store.pk}/pause", {"paused": True}),
        ("get", f"/api/v1/stores/{store.pk}/remote/freight-templates", None),
        ("post", f"/api/v1/stores/{store.pk}/jobs", {"product_ids": [1]}),
        ("get", f"/api/v1/stores/{store.pk}/listings", None),
    ):
        kwargs = {"content_type": "application/json"} if body is not None else {}
        answer = getattr(other_client, method)(url, body, **kwargs)
        assert answer.status_code == 404, (url, answer.content)
    store.refresh_from_db()
    assert store.status == "active"


def test_a_shop_bound_by_one_organisation_is_refused_to_another(
    merchant_client, other_client, sandbox, app
):
    bind(merchant_client, sandbox, app)
    answer = other_client.post(
        "/api/v1/stores/bind", {"app_id": app.pk}, content_type="application/json"
    )
    back = callback(other_client, authorise(sandbox, answer.json()["authorize_url"]))
    assert back["Location"] == "/merchant/stores/?bind_error=store.bound_elsewhere"
    assert Store.objects.count() == 1


@pytest.mark.parametrize("platform", ["taobao"])
def test_refresh_before_expiry_and_a_refused_refresh(merchant_client, sandbox, app):
    sandbox.control("config", {"token_ttl": 600})  # expires within the refresh horizon
    store = bind(merchant_client, sandbox, app)
    old_access = store.access_token
    sandbox.control("config", {"token_ttl": 86400})
    assert stores_tokens_refresh() == 1
    store.refresh_from_db()
    assert store.access_token != old_access
    assert store.token_expires_at > timezone.now() + timedelta(hours=23)
    # The platform revokes the app's grants (reset): the next refresh is refused.
    Store.objects.filter(pk=store.pk).update(token_expires_at=timezone.now())
    sandbox.control("reset")
    sandbox.control("apps", {"app_key": app.app_key, "app_secret": APP_SECRET})
    assert stores_tokens_refresh() == 0
    store.refresh_from_db()
    assert store.status == "reauthorise"
    assert store.access_token != old_access  # nothing lost: the last token is kept
    assert stores_tokens_refresh() == 0  # a store to re-authorise is not retried


@pytest.mark.parametrize("platform", ["jd"])
def test_secrets_are_absent_from_logs_and_the_admin(
    merchant_client, sandbox, app, admin_client, caplog
):
    caplog.set_level("DEBUG")
    store = bind(merchant_client, sandbox, app)
    merchant_client.get(f"/api/v1/stores/{store.pk}/remote/freight-templates")
    secrets = (store.access_token, store.refresh_token, APP_SECRET)
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert "jingdong.freight.query.getFreightTemplates" in logged  # the calls were logged
    for url in (
        "/admin/stores/store/",
        f"/admin/stores/store/{store.pk}/change/",
        "/admin/stores/platformapp/",
        f"/admin/stores/platformapp/{app.pk}/change/",
    ):
        page = admin_client.get(url)
        assert page.status_code == 200, url
        for secret in secrets:
            assert secret not in page.content.decode(), url
            assert secret not in logged
