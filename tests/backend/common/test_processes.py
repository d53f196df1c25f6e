"""The real Celery worker on the Redis broker, daphne, and websockets on the Redis layer."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import requests
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from backend.accounts.models import PhoneCode
from backend.accounts.tasks import phone_codes_purge
from backend.common.tasks import ping

pytestmark = pytest.mark.processes


def test_task_runs_in_a_real_worker(celery_worker, settings) -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay("你好").get(timeout=20)
    assert result == {"payload": "你好", "host": socket.gethostname()}
    assert "backend.common.tasks.ping" in celery_worker.log()


@pytest.mark.django_db(transaction=True)
def test_worker_task_sees_the_test_database(celery_worker) -> None:
    old = timezone.now() - timedelta(days=3)
    PhoneCode.objects.create(phone="13900000000", code_hash="x" * 64, expires_at=old)
    PhoneCode.objects.create(
        phone="13900000001", code_hash="y" * 64, expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert phone_codes_purge.delay().get(timeout=20) == 1
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13900000001"]


def test_daphne_serves_pages_docs_and_health(daphne_server: str) -> None:
    health = requests.get(f"{daphne_server}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["ok"] is True
    assert set(health.json()["checks"]) == {"database", "redis", "broker"}
    login = requests.get(f"{daphne_server}/login/", timeout=10)
    assert login.status_code == 200
    assert "登录" in login.text
    docs = requests.get(f"{daphne_server}/api/docs", timeout=10)
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    schema = requests.get(f"{daphne_server}/api/v1/openapi.json", timeout=10).json()
    assert "/api/v1/auth/login" in schema["paths"]


def _session_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
async def test_websocket_round_trip_on_redis_layer(settings) -> None:
    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    from backend.common.realtime import user_group
    from backend.config.asgi import application
    from tests.factories.accounts import UserFactory

    assert settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis")
    user = await sync_to_async(UserFactory)()
    session_id = await sync_to_async(_session_for)(user)
    communicator = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={session_id}".encode())],
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping", "payload": {"n": 1}})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong", "payload": {"n": 1}}
    await get_channel_layer().group_send(
        user_group(user.pk), {"type": "group.event", "event": "notice", "payload": {"x": "好"}}
    )
    notice = await communicator.receive_json_from(timeout=5)
    assert notice == {"type": "notice", "payload": {"x": "好"}}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_refuses_anonymous() -> None:
    from backend.config.asgi import application

    communicator = WebsocketCommunicator(
        application, "/ws/me/", headers=[(b"origin", b"http://127.0.0.1")]
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401
