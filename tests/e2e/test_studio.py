"""In the browser: the streamer creates a session in the studio, reveals the key, and the
preview plays once an ffmpeg push with that key starts (real nginx-rtmp, real hls.js)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import FilePayload, expect

from backend.accounts.roles import Role
from backend.live.models import KeyAudit, LiveSession, StreamerProfile
from tests.backend.live.studio_plane import studio_plane
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.media, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plane(settings, live_server):
    with studio_plane(settings=settings, live_server_url=live_server.url) as running:
        yield running


@pytest.fixture
def studio(browser, live_server, plane):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _cover_png() -> FilePayload:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1600), (180, 90, 20)).save(buffer, "PNG")
    return {"name": "cover.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_create_reveal_push_and_the_preview_plays(studio, plane) -> None:
    page = studio
    user = UserFactory(roles=[Role.STREAMER], username="e2e-streamer")
    page.goto("/login/")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/studio/$"))  # the streamer lands in the studio
    page.goto("/studio/")
    expect(page.locator("body")).to_have_attribute("data-view", "list")
    start = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#new-title", "端氏黄小米 试播")
    page.fill("#new-start", start)
    page.click("#create-submit")
    expect(page.locator("body")).to_have_attribute("data-view", "session")
    expect(page.locator("#session-title")).to_have_text("端氏黄小米 试播")
    expect(page.locator("#session-state")).to_have_attribute("data-state", "scheduled")

    page.set_input_files("#cover-file", files=[_cover_png()])  # the cover, before going live
    expect(page.locator("#toast .toast-text")).to_have_text("封面已更新")
    session = LiveSession.objects.get(title="端氏黄小米 试播")
    assert session.cover_url.startswith("/media/live/covers/")
    expect(page.locator("#session-cover")).to_have_attribute("src", session.cover_url)

    page.click("#reveal-key")
    expect(page.locator("#stream-key")).to_have_value(session.stream_key)
    expect(page.locator("#rtmp-url")).to_have_value(plane.media.ingest_url)
    expect(page.locator("#key-qr svg")).to_have_count(1)
    assert list(KeyAudit.objects.values_list("user_id", "action")) == [(user.pk, "reveal")]

    plane.push(key=session.stream_key, seconds=60)
    expect(page.locator("#session-state")).to_have_attribute("data-state", "rehearsal")
    expect(page.locator("#preview")).to_have_attribute("data-playing", "1", timeout=45000)
    played = page.evaluate("document.getElementById('preview').currentTime")
    assert played > 0
    expect(page.locator("#go-live")).to_be_visible()


def test_the_office_verifies_a_streamer_in_the_studio(page) -> None:
    office = UserFactory(roles=[Role.OFFICE_STAFF], username="e2e-office")
    streamer = UserFactory(roles=[Role.STREAMER], username="e2e-waiting")
    StreamerProfile.objects.create(
        user=streamer, real_name="李小花", id_number="14052119950505432X"
    )
    page.goto("/login/")
    page.fill("#username", office.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/merchant/products/$"))
    page.goto("/studio/")
    expect(page.locator("#read-only")).to_be_visible()
    row = page.locator(f'#verify-list li[data-user="{streamer.pk}"]')
    expect(row).to_contain_text("李小花 · 140***********432X")
    row.locator('button[data-action="verify"]').click()
    expect(row.locator(".status")).to_have_text("已通过")
    assert StreamerProfile.objects.get(user=streamer).verified_by_id == office.pk
