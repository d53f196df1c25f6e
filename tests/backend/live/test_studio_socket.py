"""/ws/studio/<id>/ on the Redis channel layer: the console of the streamer and assistants."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from backend.accounts.roles import Role
from backend.config.asgi import application
from backend.live.models import Explanation
from tests.backend.live.conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(user, session_id: int) -> WebsocketCommunicator:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return WebsocketCommunicator(
        application,
        f"/ws/studio/{session_id}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)],
    )


@pytest.fixture
def console(client_of, verified, make_user, office, live_now, on_sale_skus):
    client = client_of(verified)
    sid = live_now["id"]
    body = {"sku_id": on_sale_skus["honey"].pk, "live_price": "59.90", "position": 1}
    item = post(client, f"/sessions/{sid}/lineup", body).json()
    client.patch(
        f"/api/v1/live/sessions/{sid}/lineup/{item['id']}", {"state": "listed"},
        content_type="application/json",
    )  # fmt: skip
    helper = make_user(Role.STREAMER, username="zhongkong")
    assert post(client, f"/sessions/{sid}/assistants", {"username": "zhongkong"}).status_code == 201
    return {"sid": sid, "item": item, "streamer": verified, "assistant": helper, "office": office,
            "outsider": make_user(Role.STREAMER, username="passer-by")}  # fmt: skip


async def _open(user, sid: int) -> tuple[WebsocketCommunicator, dict]:
    socket = await sync_to_async(_socket)(user, sid)
    connected, _ = await socket.connect()
    assert connected
    return socket, await socket.receive_json_from(timeout=5)


async def test_an_assistants_explain_reaches_the_streamers_socket(settings, console) -> None:
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis")
    sid, item = console["sid"], console["item"]
    streamer, hello = await _open(console["streamer"], sid)
    expected = {"session_id": sid, "state": "live", "can_control": True}
    assert hello == {"type": "studio.hello", "payload": expected}
    assistant, _hello = await _open(console["assistant"], sid)
    await assistant.send_json_to({"type": "studio.explain", "payload": {"item_id": item["id"]}})
    card = await streamer.receive_json_from(timeout=5)
    explain = await streamer.receive_json_from(timeout=5)
    started = await sync_to_async(lambda: Explanation.objects.get())()
    assert card == {
        "type": "live.card",
        "payload": {"session_id": sid, "item_id": item["id"], "sku_id": item["sku_id"],
                    "product_id": item["product_id"], "state": "explaining",
                    "live_price": "59.90", "position": 1},
    }  # fmt: skip
    assert explain["type"] == "live.explain"
    assert explain["payload"]["item_id"] == item["id"]
    assert explain["payload"]["ended_at"] is None
    assert explain["payload"]["started_at"] == timezone.localtime(started.started_at).isoformat()
    assert started.started_by_id == console["assistant"].pk
    assert (await assistant.receive_json_from(timeout=5))["type"] == "live.card"
    await streamer.disconnect()
    await assistant.disconnect()


async def test_an_assistant_cannot_reveal_the_key(console) -> None:
    sid = console["sid"]
    assistant, _hello = await _open(console["assistant"], sid)
    await assistant.send_json_to({"type": "studio.key_reveal", "payload": {}})
    assert await assistant.receive_json_from(timeout=5) == {
        "type": "studio.error",
        "payload": {"code": "ws.unknown_type", "message": "Unknown message type."},
    }
    client = await sync_to_async(_logged_in)(console["assistant"])
    response = await sync_to_async(post)(client, f"/sessions/{sid}/key/reveal")
    assert response.status_code == 403
    await assistant.disconnect()


async def test_the_office_watches_read_only_and_outsiders_are_refused(console) -> None:
    sid, item = console["sid"], console["item"]
    office, hello = await _open(console["office"], sid)
    assert hello["payload"]["can_control"] is False
    await office.send_json_to({"type": "studio.explain", "payload": {"item_id": item["id"]}})
    error = await office.receive_json_from(timeout=5)
    assert (error["type"], error["payload"]["code"]) == ("studio.error", "auth.forbidden")
    assert await sync_to_async(Explanation.objects.count)() == 0
    outsider = await sync_to_async(_socket)(console["outsider"], sid)
    connected, code = await outsider.connect()
    assert (connected, code) == (False, 4403)
    await office.disconnect()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
