from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backend.accounts.roles import Role
from backend.live.models import LiveSession
from tests.factories.records import session_held


@pytest.fixture(autouse=True)
def _inline_events(settings):
    settings.EVENTS_INLINE = True
    settings.SITE_URL = "https://live.example.cn"
    # Users are made and signed in often here; PBKDF2 at full strength would be most of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def streamer(make_user):
    return make_user(Role.STREAMER, username="xiaozhao", display_name="赵小明")


@pytest.fixture
def viewer(make_user):
    return make_user(Role.BUYER, username="liujie", display_name="刘姐", phone="13912340001")


@pytest.fixture
def coming(streamer) -> LiveSession:
    """A scheduled session starting in 10 minutes."""
    return session_held(
        streamer=streamer,
        started=timezone.now() + timedelta(minutes=10),
        state=LiveSession.State.SCHEDULED,
        title="端氏黄小米 丰收直播",
    )


def call(client: Client, method: str, path: str, body: dict[str, Any] | None = None):
    fn = getattr(client, method)
    if body is None:
        return fn(f"/api/v1/audience{path}")
    return fn(f"/api/v1/audience{path}", body, content_type="application/json")
