"""The office's incubation view in a real browser, on a 390 px phone: the office admits an
influencer farmer who has already streamed, gives the reason, and sees the plan's goal
counter go up; the farmer's card draws its trend chart."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.incubation.models import Incubatee, StageMove
from tests.factories.accounts import PASSWORD, OrganisationFactory
from tests.factories.records import order_fact, session_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _seed_plan_data() -> None:
    """A transactional test starts from a flushed database: put back the seeded rows."""
    for module in (
        "backend.plan.migrations.0002_seed_targets",
        "backend.incubation.migrations.0002_seed_milestone_rules",
    ):
        importlib.import_module(module).seed(apps, None)


def test_the_office_admits_a_farmer_and_the_goal_counter_changes(page, make_user) -> None:
    _seed_plan_data()
    office = make_user(Role.OFFICE_STAFF, username="e2e-inc-office")
    farmer = make_user(Role.STREAMER, username="e2e-inc-farmer", display_name="李大姐")
    held = session_held(streamer=farmer, started=timezone.now() - timedelta(days=3))
    order_fact(
        seller=OrganisationFactory(),
        paid="128.00",
        source_ref=str(held.pk),
        paid_at=held.started_at + timedelta(minutes=5),
    )
    incubatee = Incubatee.objects.create(
        kind="influencer_farmer", name="李大姐", user=farmer, applied_at=timezone.now()
    )
    page.set_viewport_size(PHONE)
    login = page.request.post(
        "/api/v1/auth/login", data={"username": office.username, "password": PASSWORD}
    )
    assert login.status == 200
    page.goto("/office/incubation/")
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    counter = page.locator("[data-goal='influencer-farmers'] .goal-figure")
    expect(counter).to_have_attribute("data-actual", "0")

    item = page.locator(f"[data-incubatee='{incubatee.pk}']")
    expect(item).to_have_attribute("data-stage", "applied")
    item.locator("[data-move='admitted']").click()
    page.locator("#move-reason").fill("试播两场，带货能力强")
    page.locator("#move-ok").click()
    expect(counter).to_have_attribute("data-actual", "1")
    admitted = page.locator(f"[data-incubatee='{incubatee.pk}']")
    expect(admitted).to_have_attribute("data-stage", "admitted")
    assert StageMove.objects.filter(incubatee=incubatee, to_stage="admitted").get().reason == (
        "试播两场，带货能力强"
    )

    admitted.locator(".inc-open").click()
    expect(page.locator("[data-figure='inc.f.gmv']")).to_have_text("¥128.00")
    expect(page.locator("[data-milestone='first-session']")).to_have_attribute("data-met", "yes")
    expect(page.locator("#inc-card .inc-chart canvas")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths == [390, 390]

    # The farmer sees their own card, the same figures, on their phone.
    login = page.request.post(
        "/api/v1/auth/login", data={"username": farmer.username, "password": PASSWORD}
    )
    assert login.status == 200
    page.goto("/incubation/mine/")
    expect(page.locator(f"[data-card='{incubatee.pk}'] [data-figure='inc.f.gmv']")).to_have_text(
        "¥128.00"
    )
    expect(page.locator("#mine-empty")).to_be_hidden()
