"""The page's websocket helper survives a server restart: it reconnects with backoff and
sends its subscriptions again; server pushes reach the page before and after. All through
the front (nginx): pages from gunicorn, the socket upgraded to daphne behind it."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.common.realtime import user_group
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _push(user_id: int, text: str) -> None:
    """Through the Redis channel layer, as the server's broadcasts go (from another thread:
    Playwright's event loop owns this one)."""
    message = {"type": "group.event", "event": "notice", "payload": {"text": text}}
    send = async_to_sync(get_channel_layer().group_send)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(send, user_group(user_id), message).result(timeout=10)


def test_socket_reconnects_and_resubscribes_after_a_restart(front_page, web_tier) -> None:
    page = front_page
    user = UserFactory(roles=[Role.STREAMER], username="e2e-live")
    page.goto("/login/")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/studio/$"))  # streamers land in the studio
    page.goto("/account/")
    status = page.locator("#live-status")
    expect(status).to_have_attribute("data-state", "open")
    expect(status).to_have_attribute("data-pongs", "1")  # the subscription was sent once
    _push(user.pk, "第一条")
    expect(page.locator('#notices li[data-type="notice"]')).to_have_text(["第一条"])

    web_tier.ws.kill()  # the websocket server goes away mid-session; nginx stays
    expect(status).to_have_attribute("data-state", "reconnecting")
    web_tier.ws.restart()
    expect(status).to_have_attribute("data-state", "open", timeout=40000)
    expect(status).to_have_attribute("data-pongs", "2")  # re-subscribed after the drop
    _push(user.pk, "第二条")
    expect(page.locator('#notices li[data-type="notice"]')).to_have_text(["第二条", "第一条"])
