"""In the browser, on a 390 px phone: the studio console of an ended session shows its
restream target's health, the replay with its chapters and each product clip's state (a
failed one with ffmpeg's words and a button to cut it again); the product's shop page
shows its clip under 直播讲解 with a download link. (The media itself is made by the
media-plane test; here the rows it leaves are drawn.)"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus, ProductVideo
from backend.live.models import (
    Explanation,
    LineupItem,
    LiveSession,
    Recording,
    StreamerProfile,
)
from backend.live.models_media import ProductClip, Replay, ReplayChapter, RestreamTarget
from backend.live.services import session_create
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _ended_session_with_media(streamer) -> tuple[LiveSession, list]:
    StreamerProfile.objects.create(
        user=streamer,
        real_name="赵小明",
        id_number="140521199001011234",
        verified_at=timezone.now(),
    )
    session = session_create(
        streamer=streamer,
        title="端氏黄小米专场",
        scheduled_start=timezone.now() + timedelta(hours=1),
    )
    start = timezone.now() - timedelta(minutes=30)
    LiveSession.objects.filter(pk=session.pk).update(
        state="ended", started_at=start, ended_at=start + timedelta(minutes=20)
    )
    products = [
        ProductFactory(title=t, status=ProductStatus.ON_SALE) for t in ("端氏黄小米", "刺槐蜂蜜")
    ]
    replay = Replay.objects.create(
        session=session, state="ready", video="live/replays/x/replay.mp4",
        cover="live/replays/x/cover.jpg", duration_s=1200.0, recordings=1, built_at=timezone.now(),
    )  # fmt: skip
    for n, product in enumerate(products):
        item = LineupItem.objects.create(
            session=session, sku=SkuFactory(product=product), live_price="9.90", state="listed"
        )
        at = start + timedelta(minutes=2 + 5 * n)
        explanation = Explanation.objects.create(
            session=session, item=item, started_at=at, ended_at=at + timedelta(minutes=3)
        )
        ReplayChapter.objects.create(
            replay=replay, explanation=explanation, product=product, title=product.title,
            start_s=120.0 + 300 * n, end_s=300.0 + 300 * n,
        )  # fmt: skip
        clip = ProductClip(
            replay=replay, product=product, explanation=explanation, start_s=118.0 + 300 * n,
            end_s=302.0 + 300 * n, attempts=1,
        )  # fmt: skip
        if n == 0:
            video = ProductVideo(
                product=product,
                title=f"端氏黄小米专场 · {product.title}",
                duration_s=184.0,
                size_bytes=4,
                source_ref=f"live-session:{session.pk}",
            )
            video.file.save("clip.mp4", ContentFile(b"clip"), save=True)
            clip.state, clip.video, clip.duration_s = "ready", video, 184.0
        else:
            clip.state, clip.error = "failed", "clip.mp4: Is a directory"
        clip.save()
    RestreamTarget.objects.create(
        session=session, platform="douyin", label="抖音", server_url="rtmp://push.example/third",
        stream_key="stream-secret-1", status="idle", last_error="Connection refused", failures=2,
    )  # fmt: skip
    return session, products


def test_the_console_and_the_shop_show_the_replay_and_its_clips(page) -> None:
    streamer = UserFactory(roles=[Role.STREAMER], username="e2e-replay")
    session, products = _ended_session_with_media(streamer)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.fill("#username", streamer.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/studio/$"))
    page.goto(f"/studio/#s/{session.pk}")
    expect(page.locator("#replay-state")).to_have_attribute("data-state", "ready")
    expect(page.locator("#replay-chapters li")).to_have_text(
        ["120.0 秒 端氏黄小米", "420.0 秒 刺槐蜂蜜"]
    )
    expect(page.locator("#replay-video")).to_have_attribute(
        "poster", "/media/live/replays/x/cover.jpg"
    )
    ready = page.locator('#clip-list li[data-state="ready"]')
    expect(ready).to_contain_text("已挂到商品页")
    expect(ready.locator("a[download]")).to_have_count(1)
    failed = page.locator('#clip-list li[data-state="failed"]')
    expect(failed.locator(".error-tail")).to_have_text("clip.mp4: Is a directory")
    expect(failed.locator('[data-action="retry"]')).to_have_text("重新剪辑")
    target = page.locator("#restream-list li")
    expect(target).to_contain_text("未转推")
    expect(target).to_contain_text("Connection refused")
    assert "stream-secret-1" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/shop/product/?id={products[0].pk}")
    expect(page.locator("#product-videos h2")).to_have_text("直播讲解")
    link = page.locator("#product-video-list a.download")
    expect(link).to_have_text("下载视频")
    expect(link).to_have_attribute("href", re.compile(r"^/media/catalog/videos/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"/shop/product/?id={products[1].pk}")
    expect(page.locator("#product-title")).to_have_text("刺槐蜂蜜")
    expect(page.locator("#product-videos")).to_be_hidden()

    # The office's storage report, in the studio's list.
    Recording.objects.create(session=session, path="/var/rec/x.flv", size_bytes=3 * 1024 * 1024)
    office = UserFactory(roles=[Role.OFFICE_STAFF], username="e2e-office")
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#username", office.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/(office|merchant|studio)/"))
    page.goto("/studio/")
    month = timezone.localtime().strftime("%Y-%m")  # months as the office reads them
    expect(page.locator("#storage-months li")).to_have_text(
        [f"{month}录像 1 个 3.0 MB · 回放 0.0 MB · 片段 0.0 MB"]
    )
    expect(page.locator("#storage-summary")).to_contain_text("至少保存 1096 天 · 共 3.0 MB")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
