"""The page kit in a real browser: the vendored hls.js plays an HLS stream made by ffmpeg,
ECharts draws a chart, every page fits a 390 px phone (and a desktop) without sideways
scrolling, and a role without access gets the plain message instead of the page."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.models import ProductStatus
from backend.catalog.services import product_set_status
from backend.live.models import LineupItem, StreamerProfile
from backend.live.services import assistant_add, session_create
from backend.orders.models import Order
from backend.orders.services import Consignee, checkout_place
from backend.stores.models import PlatformApp, Store
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.streaming.plane import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LONG_TITLE = "沁水县端氏镇河头村合作社手工采集刺槐蜂蜜（农家自产，玻璃瓶装，含礼盒）"
ADDRESS = "山西省晋城市沁水县端氏镇河头村东街一百二十八号院内西侧第三间门市部收"


def _hls_stream(folder: Path) -> None:
    """Two seconds of H.264 test picture and AAC tone, cut into one-second HLS segments."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline",
            "-g", "25", "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
            str(folder / "index.m3u8"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip


def test_hls_js_plays_an_hls_stream_made_by_ffmpeg(page) -> None:
    _hls_stream(Path(settings.MEDIA_ROOT) / "hls-smoke")
    page.goto("/login/")  # any page: the import map is the base's
    played = page.evaluate(
        """async (src) => {
          const { playHls } = await import("app/lib/video.js");
          const video = document.createElement("video");
          Object.assign(video, { muted: true, autoplay: true });
          document.body.append(video);
          const handle = playHls(video, src);
          await new Promise((resolve, reject) => {
            video.addEventListener("ended", resolve);
            video.addEventListener("error", () => reject(new Error("media error")));
            setTimeout(() => reject(new Error("not ended after 20 s")), 20000);
          });
          return {
            engine: handle.hls ? "hls.js" : "native",
            width: video.videoWidth, height: video.videoHeight,
            duration: Math.round(video.duration * 10) / 10,
            frames: video.getVideoPlaybackQuality().totalVideoFrames,
            audioBytes: video.webkitAudioDecodedByteCount,
          };
        }""",
        "/media/hls-smoke/index.m3u8",
    )
    assert (played["engine"], played["width"], played["height"]) == ("hls.js", 320, 180)
    assert played["duration"] == 2.0
    assert played["frames"] >= 48  # 25 frames a second for two seconds, all decoded
    assert played["audioBytes"] > 0  # the AAC track was decoded too


def test_echarts_draws_a_bar_chart_in_the_accent_colour(page) -> None:
    page.goto("/login/")
    drawn = page.evaluate(
        """async () => {
          const { chart, PALETTE } = await import("app/lib/chart.js");
          const node = document.createElement("div");
          node.style.cssText = "width: 300px; height: 200px";
          document.body.append(node);
          const c = chart(node, { animation: false,
            xAxis: { type: "category", data: ["A", "B"] }, yAxis: { type: "value", max: 10 },
            series: [{ type: "bar", data: [4, 8], barWidth: 40 }] });
          const canvas = node.querySelector("canvas");
          const at = (x, value) => {
            const point = c.instance.convertToPixel({ seriesIndex: 0 }, [x, value]);
            const [px, py] = point.map(Math.round);
            return [...canvas.getContext("2d").getImageData(px, py, 1, 1).data];
          };
          return { size: [canvas.width, canvas.height], pixel: at("B", 4), empty: at("A", 9),
                   accent: PALETTE[0] };
        }"""
    )
    assert drawn["size"] == [300, 200]
    assert drawn["accent"] == "#c0392b"
    assert drawn["pixel"] == [0xC0, 0x39, 0x2B, 255]  # inside the second bar
    assert drawn["empty"][3] == 0  # above the first bar: nothing drawn


def _log_in(page, username: str) -> None:
    response = page.request.post(
        "/api/v1/auth/login", data={"username": username, "password": PASSWORD}
    )
    assert response.status == 200, response.text()


def _fits(page, url: str, ready: str) -> None:
    """The page at `url`, ready, fits the phone and the desktop without sideways scrolling."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "1")
        expect(page.locator(ready).first).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths == [viewport["width"], viewport["width"]], (url, viewport, widths)


@pytest.fixture
def shop(db):
    seller = OrganisationFactory(name="沁水县端氏镇河头村蜂业专业合作社联合社")
    product = ProductFactory(seller=seller, title=LONG_TITLE, status=ProductStatus.ON_SALE)
    sku = SkuFactory(product=product, spec_text="500g 玻璃瓶装礼盒", price="12345.60", stock=50)
    SkuFactory(product=product, spec_text="1kg 玻璃瓶装", price="168.00", stock=2)
    return {"seller": seller, "product": product, "sku": sku}


def _order(buyer, sku, key: str) -> Order:
    checkout = checkout_place(
        buyer=buyer,
        idempotency_key=key,
        items=[(sku.pk, 2)],
        consignee=Consignee(name="张女士", phone="13912345678", address=ADDRESS),
        remark="请在周末送货，谢谢",
    ).checkout
    return checkout.orders.get()


def test_merchant_pages_fit_a_phone_and_a_desktop(page, make_user, shop) -> None:
    merchant = make_user(Role.MERCHANT, username="e2e-fit-merchant", display_name="李蜂农")
    MembershipFactory(user=merchant, organisation=shop["seller"], role=Membership.Role.OWNER)
    buyer = make_user(Role.BUYER, username="e2e-fit-buyer")
    order = _order(buyer, shop["sku"], "e2e-fit-merchant-1")
    Order.objects.filter(pk=order.pk).update(status="paid")
    _log_in(page, merchant.username)
    _fits(page, "/merchant/products/", "#product-list .product-row")
    _fits(page, "/merchant/products/#new", "#sku-table .sku-row")
    _fits(page, f"/merchant/products/#product/{shop['product'].pk}", ".stock-sku")
    _fits(page, "/merchant/orders/", "#order-list .order-row")
    _fits(page, f"/merchant/orders/#order/{order.pk}", "#pack-button")
    _fits(page, "/account/", "#display-name")


def test_stores_pages_fit_a_phone_and_a_desktop(page, make_user, shop) -> None:
    merchant = make_user(Role.MERCHANT, username="e2e-fit-stores", display_name="李蜂农")
    MembershipFactory(user=merchant, organisation=shop["seller"], role=Membership.Role.OWNER)
    app = PlatformApp.objects.create(
        platform="pinduoduo", name="拼多多应用", app_key="fit-key", app_secret="fit-secret",
        endpoint_base="http://127.0.0.1:9",  # never called: the list needs no platform
    )  # fmt: skip
    store = Store.objects.create(
        app=app, organisation=shop["seller"], shop_id="fit-shop", shop_name=LONG_TITLE,
        access_token="token", token_expires_at=timezone.now(), last_sync_at=timezone.now(),
        status="reauthorise", status_reason="授权已过期，请重新授权后继续同步商品与库存",
    )  # fmt: skip
    _log_in(page, merchant.username)
    _fits(page, "/merchant/stores/", f"[data-store='{store.pk}'] [data-reauthorise]")
    make_user(Role.OFFICE_STAFF, username="e2e-fit-office")
    _log_in(page, "e2e-fit-office")
    _fits(page, "/office/stores/", f"#store-table tr[data-store='{store.pk}']")


def test_buyer_and_visitor_pages_fit_a_phone_and_a_desktop(
    page, make_user, shop, celery_worker
) -> None:
    _fits(page, "/login/", "#password-form")
    _fits(page, "/shop/", "#shop-grid .shop-card")
    _fits(page, f"/shop/product/?id={shop['product'].pk}", "#buy-now")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    page.fill("#quantity", "0")  # corrected aloud, not silently
    page.click("#add-to-cart")
    toast = page.locator("#toast")
    expect(toast.locator(".toast-text")).to_have_text("数量需在 1 到 999 之间，已按 1 件加入购物车")
    expect(page.locator("#quantity")).to_have_value("1")
    expect(page.locator("#cart-link")).to_have_text("购物车（1）")
    # The notice sits right above the buy bar, which covers neither it nor the quantity.
    bar, said = page.locator(".buy-bar").bounding_box(), toast.bounding_box()
    assert said["y"] + said["height"] <= bar["y"] and said["y"] >= 0
    quantity = page.locator("#quantity").bounding_box()
    assert (
        bar["y"] <= quantity["y"] and quantity["y"] + quantity["height"] <= bar["y"] + bar["height"]
    )
    page.click("#buy-now")
    page.wait_for_url(re.compile(r"/shop/cart/$"))
    _fits(page, "/shop/cart/", "#cart-lines .cart-line")

    # A buyer who signed up by phone: the phone is offered, not the made-up user name.
    buyer = make_user(Role.BUYER, username="m13712345678", display_name="", phone="13712345678")
    order = _order(buyer, shop["sku"], "e2e-fit-buyer-1")
    _log_in(page, buyer.username)
    page.set_viewport_size(PHONE)
    # The merchant takes it off sale; the storefront cache follows the event (worker).
    merchant = make_user(Role.MERCHANT, username="e2e-fit-offsale")
    product_set_status(product=shop["product"], status=ProductStatus.OFF_SALE, by=merchant)
    product_url = f"/api/v1/shop/products/{shop['product'].pk}"
    wait_for(
        lambda: page.request.get(product_url).status == 404,
        timeout_s=15,
        what="the shop to stop offering the product",
    )
    page.goto("/shop/cart/")
    expect(page.locator("#consignee-phone")).to_have_value("13712345678")
    expect(page.locator("#consignee-name")).to_have_value("")
    line = page.locator("#cart-lines .cart-line")
    expect(line).to_have_attribute("data-available", "false")  # off sale since it was added
    expect(line.locator(".off-sale-note")).to_have_text("已下架，无法购买")
    page.fill("#consignee-name", "田军")
    page.fill("#consignee-address", ADDRESS)
    page.click("#checkout-submit")
    expect(page.locator("#toast .toast-text")).to_have_text(
        f"以下商品已不在售，请先删除：{LONG_TITLE} 1kg 玻璃瓶装"
    )
    assert Order.objects.filter(buyer=buyer).count() == 1  # nothing was placed
    _fits(page, "/shop/orders/", "#order-list .order-row")
    _fits(page, f"/shop/orders/#order/{order.pk}", "#pay-button")
    _fits(page, "/account/", "#display-name")
    expect(page.locator("#token-card")).to_be_hidden()  # no API tokens for buyers
    expect(page.locator("#password-title")).to_have_text("修改密码")

    # Back from the cashier without paying: said plainly, with the deadline on the card.
    page.goto(f"/shop/orders/?payment_id=P1&out_trade_no={order.checkout.number}&result=cancelled")
    result = page.locator("#payment-result")
    expect(result).to_have_attribute("data-result", "cancelled")
    expect(result).to_have_text("支付已取消，订单未付款；可在订单里继续支付。")
    deadline = timezone.localtime(order.expires_at).strftime("%Y-%m-%d %H:%M")
    expect(page.locator(f'[data-order-id="{order.pk}"] .expires')).to_have_text(
        f"请在 {deadline} 前付款，逾期订单自动取消"
    )
    expect(page.locator(f'[data-order-id="{order.pk}"] .goods-name')).to_have_text(LONG_TITLE)


def test_the_studio_fits_a_phone_and_a_desktop(page, make_user, shop) -> None:
    streamer = make_user(Role.STREAMER, username="e2e-fit-streamer", display_name="赵小明")
    helper = make_user(Role.STREAMER, username="e2e-fit-assistant-with-a-long-name")
    session = session_create(
        streamer=streamer,
        title=LONG_TITLE,
        scheduled_start=timezone.now() + timedelta(hours=2),
        description=ADDRESS,
    )
    # Made directly: the service would broadcast from Playwright's event-loop thread.
    LineupItem.objects.create(session=session, sku=shop["sku"], live_price=Decimal("12345.60"))
    assistant_add(session=session, username=helper.username)
    _log_in(page, streamer.username)
    _fits(page, "/studio/", "#session-list li[data-id]")
    _fits(page, f"/studio/#s/{session.pk}", "#lineup li[data-state]")
    expect(page.locator("#lineup li .price")).to_have_text("¥12,345.60")
    # The revealed key, its copy buttons and the QR code fit the phone too.
    page.set_viewport_size(PHONE)
    page.click("#reveal-key")
    expect(page.locator("#key-qr svg")).to_have_count(1)
    expect(page.locator("#copy-stream-key")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths == [PHONE["width"], PHONE["width"]]

    # The office's view: every session, read only, and the streamers waiting to be verified.
    office = make_user(Role.OFFICE_STAFF, username="e2e-fit-office")
    StreamerProfile.objects.create(
        user=helper, real_name="欧阳青青", id_number="14052119950505432X"
    )
    _log_in(page, office.username)
    _fits(page, "/studio/", f'#verify-list li[data-user="{helper.pk}"]')
    expect(page.locator("#read-only")).to_be_visible()


def test_a_role_without_access_sees_the_plain_message_not_the_editor(page, make_user) -> None:
    make_user(Role.INSPECTOR, username="e2e-inspector")
    _log_in(page, "e2e-inspector")
    page.set_viewport_size(PHONE)
    response = page.goto("/merchant/products/")
    assert response.status == 403
    expect(page.locator("#no-access h1")).to_have_text("无权访问")
    expect(page.locator("#no-access p").first).to_have_text("此页面不对您的角色（抽检员）开放。")
    expect(page.locator("#product-form")).to_have_count(0)
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    page.click("#start-page")
    page.wait_for_url(re.compile(r"/account/$"))
    expect(page.locator('#roles [data-role="inspector"]')).to_have_text("抽检员")


def test_the_kit_formats_money_times_and_phones(browser, daphne_server) -> None:
    context = browser.new_context(base_url=daphne_server, timezone_id="America/Los_Angeles")
    try:
        page = context.new_page()
        page.goto("/login/")
        shown = page.evaluate(
            """async () => {
              const f = await import("app/lib/format.js");
              return {
                money: ["1234567.5", "0.1", 12, "-3.456", null].map(f.money),
                sum: f.moneySum([["0.10", 3], ["0.20", 1], ["19.99", 2]]),
                time: f.time("2026-11-28T17:05:00Z"),
                date: f.date("2026-11-28T17:05:00Z"),
                phone: f.maskPhone("13912345678"),
              };
            }"""
        )
    finally:
        context.close()
    assert shown == {
        "money": ["¥1,234,567.50", "¥0.10", "¥12.00", "-¥3.46", "—"],
        "sum": "40.48",
        "time": "2026-11-29 01:05",  # at +08:00, though this browser lives in Los Angeles
        "date": "2026-11-29",
        "phone": "139****5678",
    }
