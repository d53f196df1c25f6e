"""Campaigns in a real browser: the venue's big screen moves when an order in a contest
session is paid (no login, through the board socket), and a judge scores on a phone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.models import Membership, Organisation
from backend.accounts.roles import Role
from backend.campaigns.models import Campaign, CampaignSession, JudgeScore
from backend.campaigns.services import CampaignTerms, campaign_create, registration_review
from backend.campaigns.services_contest import judge_assign
from backend.common.events import publish
from backend.orders.services_checkout import order_payload
from tests.factories.accounts import PASSWORD
from tests.factories.records import order_fact, session_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _contest(organiser, entrants) -> tuple[Campaign, list]:
    now = timezone.now()
    contest = campaign_create(by=organiser, terms=CampaignTerms(
        kind="contest", title="沁水县新媒体直播大赛", starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1), registration_deadline=now + timedelta(hours=1),
        capacity=10, weights={"gmv": "0.50", "judges": "0.50"},
    ))  # fmt: skip
    entries = []
    for user, name, org in entrants:
        reg = contest.registrations.create(applicant=user, display_name=name, organisation=org)
        entries.append(registration_review(registration=reg, by=organiser, approve=True))
    return contest, entries


def _pay(shop, session_id: int) -> None:
    order = order_fact(
        seller=shop, paid="88.00", source_ref=str(session_id), paid_at=timezone.now()
    )
    with transaction.atomic():
        publish("order.paid", order_payload(order))


def test_the_big_screen_moves_when_a_contest_order_is_paid(browser, daphne_server, make_user,
                                                           settings) -> None:  # fmt: skip
    settings.EVENTS_INLINE = True  # delivered in this process; the frame goes out via Redis
    streamer = make_user(Role.STREAMER, username="e2e-screen-zhao")
    contest, (entry,) = _contest(make_user(Role.ORGANISER), [(streamer, "网红农民 小赵", None)])
    held = session_held(streamer=streamer, started=timezone.now(), state="live")
    CampaignSession.objects.create(campaign=contest, session=held, entry=entry)
    shop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    context = browser.new_context(base_url=daphne_server, locale="zh-CN",
                                  viewport={"width": 1280, "height": 720})  # fmt: skip
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"/events/{contest.slug}/screen/")  # no login: the public, read-only link
        row = page.locator(f'#screen tr[data-entry="{entry.pk}"]')
        expect(row.locator('[data-k="gmv"]')).to_have_text("¥0.00")
        expect(row.locator(".badge.live")).to_be_visible()
        with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's loop owns this thread
            pool.submit(_pay, shop, held.pk).result(timeout=20)
        expect(row.locator('[data-k="gmv"]')).to_have_text("¥88.00")
        expect(row.locator('[data-k="orders"]')).to_have_text("1")
        expect(row.locator('[data-k="total"]')).to_have_text("50.00")
        assert page.locator("#screen h1").text_content() == "沁水县新媒体直播大赛"
    finally:
        context.close()


def test_a_judge_scores_on_a_phone(browser, daphne_server, make_user) -> None:
    coop = Organisation.objects.create(name="蜂业合作社", kind="cooperative")
    judge = make_user(Role.JUDGE, username="e2e-pingwei")
    Membership.objects.create(user=judge, organisation=coop)
    contest, (mine, other) = _contest(make_user(Role.ORGANISER), [
        (make_user(Role.STREAMER), "蜂业合作社 直播间", coop),
        (make_user(Role.STREAMER), "网红农民 王大姐", None),
    ])  # fmt: skip
    judge_assign(campaign=contest, judge=judge)
    context = browser.new_context(base_url=daphne_server, locale="zh-CN",
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        login = {"username": judge.username, "password": PASSWORD}
        assert page.request.post("/api/v1/auth/login", data=login).status == 200
        page.goto("/events/judge/")
        expect(page.locator("body")).to_have_attribute("data-ready", "1")
        # The scale is shown before any score is typed.
        expect(page.locator(f"[data-contest='{contest.pk}'] [data-scale]")).to_contain_text(
            f"每项 0–{contest.score_max} 分"
        )
        recused = page.locator(f'[data-entry="{mine.pk}"]')
        expect(recused).to_contain_text("回避")
        assert recused.locator("form").count() == 0
        content = page.locator(f'[data-entry="{other.pk}"] form[data-criterion="content"]')
        content.locator("input[name=score]").fill("12")
        content.locator("button[type=submit]").click()
        expect(page.locator("[data-code='campaigns.score_out_of_scale']")).to_be_visible()
        # Beside the score it names (extra.field), not only in a toast.
        expect(content.locator(".field-error")).to_contain_text(f"0 到 {contest.score_max}")
        content.locator("input[name=score]").fill("8.5")
        content.locator("button[type=submit]").click()
        expect(content.locator(".given")).to_have_text(" 8.50")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert list(JudgeScore.objects.values_list("entry_id", "criterion", "score")) == [
            (other.pk, "content", JudgeScore.objects.get().score)
        ]
        assert str(JudgeScore.objects.get().score) == "8.50"
    finally:
        context.close()
