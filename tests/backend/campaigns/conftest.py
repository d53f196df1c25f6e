"""A contest run by an organiser through the API, its entrants, judges and buyers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from backend.accounts.roles import Role
from backend.campaigns.access import DOOR_STAFF
from backend.common.events import publish
from backend.common.models import OutboxEvent


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def error_code(response: Any) -> str:
    return response.json()["error"]["code"]


@pytest.fixture
def organiser(make_user):
    return make_user(Role.ORGANISER, username="zuweihui")


@pytest.fixture
def org_client(login_as, organiser) -> Client:
    return login_as(organiser)


@pytest.fixture
def door_user(make_user):
    user = make_user(username="jianpiao")
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    return user


@pytest.fixture
def make_event(org_client) -> Callable[..., dict[str, Any]]:
    def make(kind: str = "contest", **overrides: Any) -> dict[str, Any]:
        now = timezone.now()
        body = {
            "kind": kind, "title": "沁水县新媒体直播大赛", "venue": "端氏古镇",
            "offline": True, "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat(),
            "registration_deadline": (now + timedelta(hours=2)).isoformat(),
            "capacity": 10, **overrides,
        }  # fmt: skip
        response = post(org_client, "/campaigns/events", body)
        assert response.status_code == 201, response.content
        return response.json()

    return make


@pytest.fixture
def enter(login_as, org_client) -> Callable[..., dict[str, Any]]:
    """Register a user (optionally for an organisation) and approve the registration."""

    def do(event: dict[str, Any], user, name: str, **extra: Any) -> dict[str, Any]:
        reg = post(login_as(user), f"/events/{event['slug']}/registrations",
                   {"display_name": name, **extra})  # fmt: skip
        assert reg.status_code == 201, reg.content
        review = post(org_client, f"/campaigns/registrations/{reg.json()['id']}/review",
                      {"approve": True})  # fmt: skip
        assert review.status_code == 200, review.content
        return review.json()

    return do


@pytest.fixture
def emit(django_capture_on_commit_callbacks, settings):
    """Publish an event as its app would, and deliver it (inline) after commit."""
    settings.EVENTS_INLINE = True

    def do(name: str, payload: dict[str, Any]) -> OutboxEvent:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                event = publish(name, payload)
        return event

    return do
