from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.common.events import publish
from backend.common.models import OutboxEvent
from tests.factories.accounts import MembershipFactory, OrganisationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 20, month: int = 11) -> datetime:
    """A time in November 2026, Asia/Shanghai."""
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _inline_events(settings) -> None:
    settings.EVENTS_INLINE = True


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE_STAFF, username="office1", display_name="王老师")


@pytest.fixture
def office_client(login_as, office) -> Client:
    return login_as(office)


def api(client: Client, method: str, path: str, body: dict[str, Any] | None = None):
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1/incubation{path}")
    return call(f"/api/v1/incubation{path}", body, content_type="application/json")


def org(kind: str, *members) -> Organisation:
    organisation = OrganisationFactory(kind=kind)
    for user in members:
        MembershipFactory(user=user, organisation=organisation)
    return organisation


@pytest.fixture
def emit(django_capture_on_commit_callbacks):
    """Publish an event as its app would, and deliver it (inline) after commit."""

    def do(name: str, payload: dict[str, Any]) -> OutboxEvent:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                event = publish(name, payload)
        return event

    return do
