"""The merchant product pages in a real browser against daphne and the media worker:
create a product with two SKUs, upload an image and see it processed, put it on sale,
adjust stock; API errors shown in the page; who sees which seller's products."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.catalog.imaging import DEFAULT_SPECS
from backend.catalog.models import Brand, ImageSpec, ImageVariant, PackagingStandard, Product
from backend.geo.models import Township, Village
from tests.factories.accounts import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SkuFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def refs(db):
    """The reference rows the form offers. Transactional tests empty the tables between
    tests, so the seeded image specs and the township are put back here."""
    for spec in DEFAULT_SPECS:
        ImageSpec.objects.update_or_create(
            name=spec.name,
            seller=None,
            defaults={
                "platform": spec.platform,
                "width": spec.width,
                "height": spec.height,
                "mode": spec.mode,
                "format": spec.format,
                "max_bytes": spec.max_bytes,
                "background": spec.background,
            },
        )
    township, _ = Township.objects.get_or_create(
        code="140521103", defaults={"name": "端氏镇", "kind": "town"}
    )
    village, _ = Village.objects.get_or_create(
        code="140521103201", defaults={"name": "测试河头村", "township": township}
    )
    return {
        "category": CategoryFactory(name="蜂蜜"),
        "brand": Brand.objects.get_or_create(name="沁水", defaults={"kind": "public"})[0],
        "standard": PackagingStandard.objects.get_or_create(
            code="QS-FJ-01",
            defaults={
                "name": "蜂蜜分级包装",
                "grade": "一级",
                "criteria": "波美度 ≥ 41",
                "package_spec": "玻璃瓶",
                "label_text": "沁水蜂蜜",
            },
        )[0],
        "township": township,
        "village": village,
    }


@pytest.fixture
def seller(db):
    return OrganisationFactory(name="沁水县示例蜂业专业合作社")


@pytest.fixture
def merchant(make_user, seller):
    from django.contrib.auth.models import Group

    user = make_user(Role.MERCHANT, username="e2e-li", display_name="李蜂农")
    # The county lets this cooperative use its public brand 沁水 (catalog/declare.py).
    user.groups.add(Group.objects.get(name="brand_licensee"))
    MembershipFactory(user=user, organisation=seller, role=Membership.Role.OWNER)
    return user


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")
    page.wait_for_url(re.compile(r"/merchant/products/$"))
    expect(page.locator("body")).to_have_attribute("data-ready", "1")


def _fill_sku(row, spec: str, price: str, stock: str, weight: str, outer_id: str) -> None:
    row.locator("[name=spec_text]").fill(spec)
    row.locator("[name=price]").fill(price)
    row.locator("[name=stock]").fill(stock)
    row.locator("[name=weight_grams]").fill(weight)
    row.locator("[name=outer_id]").fill(outer_id)


def test_merchant_creates_a_product_uploads_an_image_and_puts_it_on_sale(
    page, celery_worker, merchant, seller, refs, tmp_path
) -> None:
    page.set_viewport_size(PHONE)
    _login(page, merchant.username)
    expect(page.locator("#main-nav a[aria-current=page]")).to_have_text("商品管理")
    expect(page.locator("#product-list .empty")).to_have_text("没有符合条件的商品")

    page.click("#new-product")
    expect(page.locator("#editor-title")).to_have_text("新建商品")
    expect(page.locator("#seller-field")).to_be_hidden()  # one organisation: no choice
    page.fill("#title", "沁水刺槐蜂蜜")
    page.select_option("#category", label="蜂蜜")
    page.select_option("#brand", label="沁水")
    page.select_option("#township", label="端氏镇")
    expect(page.locator("#village option", has_text="测试河头村")).to_have_count(1)
    page.select_option("#village", label="测试河头村")
    page.fill("#description", "端氏镇山坡上的槐花蜜，瓶装。")
    expect(page.locator("#licence-fields")).to_be_hidden()
    page.check("#needs-licence")
    expect(page.locator("#licence-fields")).to_be_visible()
    page.fill("#licence-sc-no", "SC12314052100017")
    page.fill("#licence-holder", seller.name)
    page.fill("#licence-expires", (timezone.localdate() + timedelta(days=365)).isoformat())
    rows = page.locator("#sku-table .sku-row")
    _fill_sku(rows.nth(0), "500g 瓶装", "68.00", "20", "760", "HONEY-500")
    rows.nth(0).locator("[name=list_price]").fill("79.00")
    rows.nth(0).locator("[name=packaging_standard_id]").select_option(label="一级 · 蜂蜜分级包装")
    page.click("#add-sku")
    _fill_sku(rows.nth(1), "1kg 瓶装", "128.00", "5", "1350", "HONEY-1000")
    page.click("#save-product")

    page.wait_for_url(re.compile(r"#product/\d+$"))
    expect(page.locator("#editor-title")).to_have_text("沁水刺槐蜂蜜")
    expect(page.locator("#status-bar .status")).to_have_text("草稿")
    expect(rows).to_have_count(2)
    product = Product.objects.get(title="沁水刺槐蜂蜜")
    assert (product.seller_id, product.origin_village_id, product.needs_licence) == (
        seller.pk,
        refs["village"].pk,
        True,
    )
    skus = {s.outer_id: (str(s.price), s.stock) for s in product.skus.all()}
    assert skus == {"HONEY-500": ("68.00", 20), "HONEY-1000": ("128.00", 5)}

    photo = tmp_path / "honey.jpg"
    Image.new("RGB", (1600, 1200), (214, 160, 40)).save(photo, "JPEG", quality=85)
    label = tmp_path / "label.png"
    Image.new("RGB", (900, 1200), (40, 120, 60)).save(label, "PNG")
    notes = tmp_path / "notes.jpg"  # not an image at all
    notes.write_text("蜂蜜采收记录")
    page.set_input_files("#image-input", [str(photo), str(label), str(notes)])
    items = page.locator("#image-list .image-item[data-image-id]")
    expect(items).to_have_count(2)
    failed = page.locator('#image-list .image-item[data-status="upload_failed"]')
    expect(failed.locator(".image-error")).to_have_text("只接受 JPEG、PNG 和 WebP 图片。")
    failed.locator(".remove-failed").click()  # a failed tile can be removed
    expect(failed).to_have_count(0)
    for i in range(2):
        expect(items.nth(i).locator(".image-status")).to_have_text("已处理", timeout=60_000)
    item = items.first
    expect(item.locator(".main-mark")).to_have_text("主图")
    thumb = item.locator("img.variant")
    expect(thumb).to_be_visible()
    jpeg_image = product.images.get(format="JPEG")
    variant = ImageVariant.objects.get(image=jpeg_image, spec_name="thumbnail")
    expect(thumb).to_have_attribute("src", variant.file.url)
    expect(thumb).to_have_attribute("data-variant", "thumbnail")

    # The PNG becomes the main image, through the order endpoint.
    items.nth(1).locator(".move-up").click()
    png_image = product.images.get(format="PNG")
    expect(items.first).to_have_attribute("data-image-id", str(png_image.pk))
    expect(items.first.locator(".move-up")).to_be_disabled()
    assert list(product.images.order_by("position").values_list("pk", flat=True)) == [
        png_image.pk,
        jpeg_image.pk,
    ]

    page.click("#status-on-sale")
    expect(page.locator("#status-bar .status")).to_have_text("在售")
    expect(page.locator("#status-off-sale")).to_be_visible()

    first = page.locator(f'.stock-sku[data-sku-id="{product.skus.get(outer_id="HONEY-500").pk}"]')
    first.locator("[name=amount]").fill("5")
    first.locator("[name=note]").fill("新到一批")
    first.locator("button[type=submit]").click()
    expect(first.locator(".current-stock")).to_have_text("25")
    first.locator(".show-ledger").click()
    ledger = first.locator(".ledger tbody tr")
    expect(ledger.first.locator("td").nth(1)).to_have_text("+5")
    expect(ledger.first).to_contain_text("新到一批")
    page.screenshot(path="/tmp/merchant-products-editor.png", full_page=True)

    page.click("#back-to-list")
    row = page.locator(".product-row", has_text="沁水刺槐蜂蜜")
    expect(row.locator(".status")).to_have_text("在售")
    expect(row.locator(".stock")).to_have_text("库存 30")  # 25 + 5, both SKUs
    expect(row.locator(".price")).to_have_text("¥68.00 起")
    expect(row.locator("img.thumb")).to_have_count(1)
    expect(row.locator(".seller")).to_have_count(0)  # a merchant sees only their own
    page.screenshot(path="/tmp/merchant-products-list.png", full_page=True)


def test_errors_are_shown_beside_the_field_or_the_button_in_chinese(
    page, merchant, seller, refs
) -> None:
    SkuFactory(product=ProductFactory(seller=seller, title="已有的黄小米"), outer_id="MILLET-1")
    page.set_viewport_size(PHONE)
    _login(page, merchant.username)
    page.click("#new-product")
    expect(page.locator("#images-later")).to_have_text("保存商品后即可上传图片。")
    page.fill("#title", "米")  # one character: the schema wants two
    page.select_option("#category", label="蜂蜜")
    _fill_sku(
        page.locator("#sku-table .sku-row").first, "2.5kg 袋装", "45.00", "8", "2600", "MILLET-1"
    )
    page.click("#save-product")

    # The field error sits right under its field, in Chinese; the toast says the rest.
    note = page.locator("#title + .field-error")
    expect(note).to_have_text("至少需要 2 个字符。")
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title")).to_have_attribute("aria-describedby", "title-error")
    field, under = page.locator("#title").bounding_box(), note.bounding_box()
    assert 0 <= under["y"] - (field["y"] + field["height"]) <= 12
    toast = page.locator("#toast")
    expect(toast).to_have_attribute("data-kind", "error")
    expect(toast.locator(".toast-text")).to_have_text("部分字段不合法。")
    expect(toast).to_be_in_viewport()
    said = toast.bounding_box()  # beside the note, not over it
    assert said["y"] >= under["y"] + under["height"] or said["y"] + said["height"] <= under["y"]
    expect(page.locator(".field-error")).to_have_count(1)

    page.fill("#title", "沁水黄小米")
    page.click("#save-product")
    expect(toast).to_have_attribute("data-code", "sku.outer_id_taken")
    expect(toast.locator(".toast-text")).to_have_text("本店已有规格使用商家编码 MILLET-1。")
    expect(toast).to_be_in_viewport()  # where the merchant is: at the save button
    expect(page.locator(".field-error")).to_have_count(0)  # the old one is gone
    assert not Product.objects.filter(title="沁水黄小米").exists()  # all or nothing
    assert "#new" in page.url  # the form stays with what was typed
    expect(page.locator("#title")).to_have_value("沁水黄小米")

    # Saved: said beside the button. A refused stock change is said where it was asked.
    page.locator("#sku-table [name=outer_id]").fill("MILLET-2")
    page.click("#save-product")
    page.wait_for_url(re.compile(r"#product/\d+$"))
    expect(toast).to_have_attribute("data-kind", "success")
    expect(toast.locator(".toast-text")).to_have_text("已创建，可以上传图片了")
    block = page.locator(".stock-sku").first
    block.locator("[name=amount]").fill("-100")
    block.locator("button[type=submit]").click()
    expect(toast).to_have_attribute("data-kind", "error")
    expect(toast).to_have_attribute("data-code", "stock.insufficient")
    expect(toast.locator(".toast-text")).to_have_text("库存不足。")
    expect(toast).to_be_in_viewport()
    expect(block.locator(".current-stock")).to_have_text("8")
    block.locator("[name=amount]").fill("4")
    block.locator("button[type=submit]").click()
    expect(toast.locator(".toast-text")).to_have_text("库存已调整为 12")
    expect(toast).to_be_in_viewport()


def test_office_staff_see_every_seller_and_a_merchant_only_their_own(
    page, make_user, merchant, seller, refs
) -> None:
    other = OrganisationFactory(name="端氏镇山珍合作社")
    SkuFactory(product=ProductFactory(seller=seller, title="沁水荆条蜂蜜"), stock=12)
    SkuFactory(product=ProductFactory(seller=other, title="沁水山核桃"), stock=7)
    staff = make_user(Role.OFFICE_STAFF, username="e2e-office", display_name="县电商办小王")

    _login(page, staff.username)
    rows = page.locator("#product-list .product-row")
    expect(rows).to_have_count(2)
    page.screenshot(path="/tmp/merchant-products-staff-desktop.png", full_page=True)
    expect(rows.filter(has_text="沁水荆条蜂蜜").locator(".seller")).to_contain_text(seller.name)
    expect(rows.filter(has_text="沁水山核桃").locator(".seller")).to_contain_text(other.name)
    expect(rows.filter(has_text="沁水山核桃").locator(".stock")).to_have_text("库存 7")
    page.fill("#filter-q", "山核桃")
    page.click("#filter-submit")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".title")).to_have_text("沁水山核桃")
    page.click("#new-product")
    expect(page.locator("#seller-field")).to_be_visible()  # staff choose the seller
    expect(page.locator("#seller option", has_text=other.name)).to_have_count(1)

    page.click("#logout")
    page.wait_for_url(re.compile(r"/login/$"))
    _login(page, merchant.username)
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".title")).to_have_text("沁水荆条蜂蜜")
    expect(rows.first.locator(".seller")).to_have_count(0)
    expect(page.locator("#list-summary")).to_contain_text("共 1 件商品")
