from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from backend.accounts.roles import Role


@pytest.fixture
def streamer(make_user):
    return make_user(Role.STREAMER, username="xiaozhao")


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE_STAFF, username="office1")


def verify(client_of, streamer, office) -> None:
    """The streamer submits real-name details; the office verifies them."""
    body = {"real_name": "赵小明", "id_number": "14052119900101123X"}
    assert (
        client_of(streamer)
        .put("/api/v1/live/streamer/profile", body, content_type="application/json")
        .status_code
        == 200
    )
    assert client_of(office).post(f"/api/v1/live/streamers/{streamer.pk}/verify").status_code == 200


@pytest.fixture
def client_of(login_as):
    clients: dict[int, Client] = {}

    def get(user) -> Client:
        if user.pk not in clients:
            clients[user.pk] = login_as(user)
        return clients[user.pk]

    return get


@pytest.fixture
def verified(client_of, streamer, office):
    verify(client_of, streamer, office)
    return streamer


def post(client: Client, path: str, body: dict[str, Any] | None = None):
    return client.post(f"/api/v1/live{path}", body or {}, content_type="application/json")


@pytest.fixture
def new_session(client_of):
    def create(user, title: str = "沁水小米直播", hours: float = 1) -> dict[str, Any]:
        body = {
            "title": title,
            "scheduled_start": (timezone.now() + timedelta(hours=hours)).isoformat(),
            "description": "端氏镇黄小米",
        }
        response = post(client_of(user), "/sessions", body)
        assert response.status_code == 201, response.content
        return dict(response.json())

    return create


class Ingest:
    """nginx-rtmp's side of the hooks, as it POSTs them (form fields, ?token=secret)."""

    def __init__(self) -> None:
        self.client = Client()
        self.next_client_id = 1

    def call(self, event: str, form: dict[str, str], token: str | None = None):
        secret = settings.STREAMING_CALLBACK_SECRET if token is None else token
        return self.client.post(f"/api/v1/live/rtmp/{event}?token={secret}", form)

    def publish(self, key: str, *, client_id: str | None = None, token: str | None = None):
        if client_id is None:
            client_id = str(self.next_client_id)
            self.next_client_id += 1
        form = {
            "app": "live",
            "name": key,
            "addr": "127.0.0.1",
            "clientid": client_id,
            "call": "publish",
            "type": "live",
            "tcurl": "rtmp://127.0.0.1/live",
        }
        return self.call("on_publish", form, token)

    def publish_done(self, key: str, *, client_id: str, token: str | None = None):
        form = {
            "app": "live",
            "name": key,
            "addr": "127.0.0.1",
            "clientid": client_id,
            "call": "publish_done",
        }
        return self.call("on_publish_done", form, token)


@pytest.fixture
def ingest(db) -> Ingest:
    return Ingest()


@pytest.fixture
def on_sale_skus(db):
    from backend.catalog.models import ProductStatus
    from tests.factories.catalog import ProductFactory, SkuFactory

    honey = ProductFactory(title="刺槐蜂蜜", status=ProductStatus.ON_SALE)
    millet = ProductFactory(title="黄小米", status=ProductStatus.ON_SALE)
    draft = ProductFactory(title="草稿", status=ProductStatus.DRAFT)
    return {
        "honey": SkuFactory(product=honey, price="68.00"),
        "millet": SkuFactory(product=millet, price="49.90"),
        "draft": SkuFactory(product=draft, price="10.00"),
    }


@pytest.fixture
def live_now(client_of, verified, new_session, ingest):
    """A verified streamer's session on air (its encoder connected, 开播 done)."""
    session = new_session(verified)
    client = client_of(verified)
    key = post(client, f"/sessions/{session['id']}/key/reveal").json()["stream_key"]
    assert ingest.publish(key).status_code == 302
    assert post(client, f"/sessions/{session['id']}/go-live").status_code == 200
    return session


@pytest.fixture(autouse=True)
def _room_keys():
    """The room's Redis keys (presence, likes, feed, limits) start empty in every test."""
    import redis

    yield
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(f"{settings.REDIS_PREFIX}:live.room.*", count=500))
    if keys:
        client.delete(*keys)
    client.close()
