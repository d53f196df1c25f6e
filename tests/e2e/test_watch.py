"""The watch page in a real browser on a phone-sized screen (390 px), against daphne: two
viewers see each other's comments, the product bag (小黄车) lists the line-up, the streamer
explains a product and its card appears for both; a viewer follows; the channel lists the
sessions, and a coming one counts down and takes a 预约 that one tap undoes; after the end
the replay plays and a chapter jumps to where its product was explained."""

from __future__ import annotations

import re
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.audience.models import Follow, Reminder
from backend.live.models import LineupItem
from backend.live.studio import studio_explain
from tests.factories.accounts import PASSWORD
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.factories.records import session_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def viewers(browser, daphne_server):
    contexts = []

    def open_as(user):
        context = browser.new_context(
            base_url=daphne_server, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        login = {"username": user.username, "password": PASSWORD}
        assert page.request.post("/api/v1/auth/login", data=login).status == 200
        return page

    yield open_as
    for context in contexts:
        context.close()


def _line_up(session) -> list[LineupItem]:
    goods = [("沁水刺槐蜂蜜", "500g", "59.00"), ("端氏黄小米", "2.5kg", "39.90")]
    return [
        LineupItem.objects.create(
            session=session, position=n, live_price=price, state="listed",
            sku=SkuFactory(product=ProductFactory(title=title), spec_text=spec),
        )
        for n, (title, spec, price) in enumerate(goods, start=1)
    ]  # fmt: skip


def _explain(streamer, session, item) -> None:
    """讲解, as the studio does it. In a thread of its own: the broadcast to the console
    uses async_to_sync, which refuses Playwright's running loop in this thread."""
    from django.db import connection

    def run() -> None:
        try:
            studio_explain(user=streamer, session_id=session.pk, item_id=item.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)


def test_two_viewers_chat_see_the_bag_and_the_explained_card(viewers, make_user) -> None:
    streamer = make_user(Role.STREAMER, username="e2e-zhao", display_name="赵小明")
    session = session_held(
        streamer=streamer, started=timezone.now() - timedelta(minutes=3), state="live",
        title="沁水好物 原产地直播",
    )  # fmt: skip
    honey, _millet = _line_up(session)
    liu = viewers(make_user(Role.BUYER, username="e2e-liu", display_name="刘姐"))
    wang = viewers(make_user(Role.BUYER, username="e2e-wang", display_name="王师傅"))
    for page in (liu, wang):
        page.goto(f"/live/{session.pk}/")
        expect(page.locator("body")).to_have_attribute("data-ready", "1")
        expect(page.locator("#watch-title")).to_have_text("沁水好物 原产地直播")
        expect(page.locator("#watch-state")).to_have_attribute("data-state", "live")
        expect(page.locator("#watch-form")).to_be_visible()

    liu.click("#watch-bag-button")
    expect(liu.locator("#watch-bag-list li .title")).to_have_text(
        ["1. 沁水刺槐蜂蜜", "2. 端氏黄小米"]
    )
    expect(liu.locator("#watch-bag-list li .price")).to_have_text(["¥59.00", "¥39.90"])
    expect(liu.locator("#watch-bag-badge")).to_have_text("2")

    liu.fill("#watch-text", "蜂蜜是今年的新蜜吗？")
    liu.click("#watch-send")
    expect(wang.locator("#watch-chat li .text")).to_have_text(["蜂蜜是今年的新蜜吗？"])
    wang.fill("#watch-text", "小米怎么卖？")
    wang.click("#watch-send")
    for page in (liu, wang):
        expect(page.locator("#watch-chat li .text")).to_have_text(
            ["蜂蜜是今年的新蜜吗？", "小米怎么卖？"]
        )

    expect(liu.locator("#watch-card")).to_be_hidden()
    _explain(streamer, session, honey)
    for page in (liu, wang):
        card = page.locator("#watch-card")
        expect(card).to_be_visible()
        expect(card.locator("#watch-card-title")).to_have_text("沁水刺槐蜂蜜")
        expect(card.locator("#watch-card-price")).to_have_text("¥59.00")
        expect(card).to_have_attribute("href", f"/shop/product/?id={honey.sku.product_id}")
    expect(liu.locator(f'#watch-bag-list li[data-item="{honey.pk}"]')).to_have_attribute(
        "data-state", "explaining"
    )
    width = liu.evaluate("document.documentElement.scrollWidth")
    assert width == 390  # the page fits the phone: no sideways scrolling

    liu.click("#watch-follow")  # 关注: the count moves, the SMS choice appears
    expect(liu.locator("#watch-follow")).to_have_text("已关注")
    expect(liu.locator("#watch-followers")).to_have_text("1 粉丝")
    expect(liu.locator("#watch-sms-label")).to_be_visible()
    assert Follow.objects.get().session_id == session.pk  # a new follower of this session

    later = session_held(
        streamer=streamer, started=timezone.now() + timedelta(hours=2), state="scheduled",
        title="下午场 黄小米",
    )  # fmt: skip
    liu.goto("/live/")
    expect(liu.locator(f'#channel-live li[data-session="{session.pk}"] .title')).to_have_text(
        "沁水好物 原产地直播"
    )
    assert liu.evaluate("document.documentElement.scrollWidth") == 390
    liu.click(f'#channel-coming li[data-session="{later.pk}"] a')
    expect(liu.locator("#watch-countdown")).to_have_text(re.compile(r"^01:5\d:\d\d$"))
    expect(liu.locator("#watch-form")).to_be_hidden()  # no comments before the start
    liu.click("#watch-remind")  # 预约, then one tap undoes it
    expect(liu.locator("#watch-subscribers")).to_have_text("1 人已预约")
    assert Reminder.objects.filter(user__username="e2e-liu", session=later).count() == 1
    liu.click("#watch-remind")
    expect(liu.locator("#watch-subscribers")).to_have_text("0 人已预约")
    assert Reminder.objects.count() == 0


def _replay_video(name: str) -> str:
    """Forty seconds of a small H.264 test picture as an MP4 with faststart (what the
    replay builder makes), stored where the replay names it."""
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-t", "40", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline",
            "-g", "10", "-movflags", "+faststart", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return name


def test_the_replays_chapter_jumps_to_the_explained_product(viewers, make_user) -> None:
    from backend.live.models import Explanation
    from backend.live.models_media import Replay, ReplayChapter

    streamer = make_user(Role.STREAMER, username="e2e-replay", display_name="赵小明")
    start = timezone.now() - timedelta(hours=2)
    session = session_held(streamer=streamer, started=start, minutes=1, title="黄小米 回放")
    replay = Replay.objects.create(
        session=session, state="ready", video=_replay_video(f"live/replays/{session.pk}/r.mp4"),
        duration_s=40.0, recordings=1, built_at=timezone.now(),
    )  # fmt: skip
    for item, at in zip(_line_up(session), (5.0, 25.0), strict=True):
        explanation = Explanation.objects.create(
            session=session, item=item, started_at=start + timedelta(seconds=at),
            ended_at=start + timedelta(seconds=at + 10),
        )  # fmt: skip
        ReplayChapter.objects.create(
            replay=replay, explanation=explanation, product=item.sku.product,
            title=item.sku.product.title, start_s=at, end_s=at + 10,
        )  # fmt: skip
    page = viewers(make_user(Role.BUYER, username="e2e-replay-viewer"))
    page.goto(f"/live/{session.pk}/")
    expect(page.locator("#watch-state")).to_have_attribute("data-state", "ended")
    box = page.locator("#watch-replay")
    expect(box).to_have_attribute("data-state", "ready")
    chapters = box.locator("#watch-chapters li")
    expect(chapters.locator(".chapter")).to_have_text(
        ["00:05 · 沁水刺槐蜂蜜", "00:25 · 端氏黄小米"]
    )
    millet = chapters.nth(1)
    millet.locator(".chapter").click()
    expect(box).to_have_attribute("data-chapter", millet.get_attribute("data-product"))
    page.wait_for_function("document.getElementById('watch-video').currentTime >= 25")
    at = page.evaluate("document.getElementById('watch-video').currentTime")
    assert 25 <= at < 30  # the video stands where the millet was explained
    assert page.evaluate("document.documentElement.scrollWidth") == 390
