"""A signed-in session ends after a stretch of idle time; using the site keeps it alive."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.django_db


def test_activity_renews_the_session_and_idleness_ends_it(make_user, login_as, settings) -> None:
    settings.SESSION_COOKIE_AGE = 3  # the idle limit, in seconds
    client = login_as(make_user())
    for _ in range(4):  # active for longer than the limit
        time.sleep(1)
        assert client.get("/api/v1/auth/me").status_code == 200
    time.sleep(3.5)  # idle for longer than the limit
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.unauthenticated"
