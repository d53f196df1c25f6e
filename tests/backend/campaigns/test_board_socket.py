"""/ws/campaigns/<slug>/board/ on the Redis channel layer: the current standings on connect
(and again on a reconnect), and a new frame when an order of a contest session is paid."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.common.events import publish
from backend.config.asgi import application
from backend.orders.services_checkout import order_payload
from tests.backend.campaigns.conftest import post
from tests.factories.records import order_fact, session_held

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board(make_event, make_user, enter, org_client, settings):
    settings.EVENTS_INLINE = True
    event = make_event(weights={"gmv": "1.00"})
    streamer = make_user(Role.STREAMER)
    entry = enter(event, streamer, "小赵")
    held = session_held(streamer=streamer, started=timezone.now() - timedelta(minutes=5),
                        state="live")  # fmt: skip
    post(org_client, f"/campaigns/events/{event['id']}/sessions",
         {"session_id": held.pk, "entry_id": entry["id"]})  # fmt: skip
    return {
        "slug": event["slug"],
        "session": held,
        "shop": Organisation.objects.create(name="蜂业合作社", kind="cooperative"),
    }


def _pay(board) -> None:
    order = order_fact(seller=board["shop"], paid="88.00", source_ref=str(board["session"].pk),
                       paid_at=timezone.now())  # fmt: skip
    with transaction.atomic():
        publish("order.paid", order_payload(order))


async def _open(slug: str) -> tuple[WebsocketCommunicator, dict]:
    socket = WebsocketCommunicator(application, f"/ws/campaigns/{slug}/board/",
                                   headers=[(b"origin", b"http://127.0.0.1")])  # fmt: skip
    connected, _ = await socket.connect()
    assert connected
    return socket, await socket.receive_json_from(timeout=5)


def _figures(frame: dict) -> list[tuple]:
    return [(r["name"], r["gmv"], r["orders"], r["total"], r["live"])
            for r in frame["payload"]["rows"]]  # fmt: skip


async def test_a_paid_order_moves_the_board_and_a_reconnect_gets_it_at_once(board) -> None:
    socket, hello = await _open(board["slug"])
    assert hello["type"] == "campaigns.board"
    assert hello["payload"]["stage"] == "open"
    assert _figures(hello) == [("小赵", "0.00", 0, "0.00", True)]
    await sync_to_async(_pay)(board)
    frame = await socket.receive_json_from(timeout=5)
    assert (frame["type"], _figures(frame)) == (
        "campaigns.board",
        [("小赵", "88.00", 1, "100.00", True)],
    )
    await socket.disconnect()
    again, current = await _open(board["slug"])
    assert _figures(current) == [("小赵", "88.00", 1, "100.00", True)]
    await again.disconnect()


async def test_an_unknown_board_is_closed() -> None:
    socket = WebsocketCommunicator(application, "/ws/campaigns/no-such-event/board/",
                                   headers=[(b"origin", b"http://127.0.0.1")])  # fmt: skip
    connected, code = await socket.connect()
    assert (connected, code) == (False, 4404)
