"""Uploads through the API: refused files store nothing; accepted ones get their variants
from the spec table, made by the real worker in the media queue."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from backend.catalog.models import ImageSpec, ImageVariant, ProductImage
from backend.catalog.services_images import image_derive
from tests.factories.catalog import ProductFactory


def _jpeg(size=(1200, 900), colour=(200, 40, 40), fmt="JPEG", exif=None) -> bytes:
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, product_id: int, data: bytes, name: str = "photo.jpg"):
    return client.post(
        f"/api/v1/catalog/products/{product_id}/images",
        {"file": _file(data, name)},
    )


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_valid_type_is_accepted_and_derived(merchant_client, seller, media, fmt) -> None:
    product = ProductFactory(seller=seller)
    response = _upload(merchant_client, product.pk, _jpeg(fmt=fmt), f"p.{fmt.lower()}")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["width"], body["height"], body["format"]) == (
        "pending",
        1200,
        900,
        fmt,
    )
    assert image_derive(image_id=body["id"]) == "ready"
    variants = {v.spec_name: (v.width, v.height) for v in ImageVariant.objects.all()}
    specs = {s.name: (s.width, s.height) for s in ImageSpec.objects.filter(seller__isnull=True)}
    assert variants == specs
    assert set(specs) == {"square_main", "thumbnail", "taobao_main", "pinduoduo_main", "jd_main"}
    for variant in ImageVariant.objects.all():
        spec = ImageSpec.objects.get(name=variant.spec_name, seller__isnull=True)
        assert variant.size_bytes <= spec.max_bytes
        with Image.open(variant.file.path) as img:
            assert img.size == (spec.width, spec.height)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (_jpeg(fmt="GIF"), 415, "image.unsupported_type"),
        (_jpeg(fmt="BMP"), 415, "image.unsupported_type"),
        (b"%PDF-1.4 not an image", 415, "image.unsupported_type"),
        (_jpeg()[:-400], 422, "image.corrupt"),
    ],
    ids=["gif", "bmp", "pdf", "truncated"],
)
def test_invalid_files_are_refused_and_nothing_stored(
    merchant_client, seller, media, data, status, code
) -> None:
    product = ProductFactory(seller=seller)
    response = _upload(merchant_client, product.pk, data)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert ProductImage.objects.count() == 0
    assert _stored_files(media) == []


@pytest.mark.django_db
def test_decompression_bomb_is_refused(merchant_client, seller, media) -> None:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # ~50 kB on disk, 400 MP decoded
    product = ProductFactory(seller=seller)
    response = _upload(merchant_client, product.pk, buffer.getvalue(), "bomb.png")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "image.too_many_pixels"
    assert (ProductImage.objects.count(), _stored_files(media)) == (0, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=é"],
)
def test_multipart_without_a_usable_boundary_is_400(
    merchant_client, seller, media, content_type
) -> None:
    """Fuzz-found: Django's multipart parser raised on a missing boundary (500)."""
    product = ProductFactory(seller=seller)
    body = b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--\r\n'
    response = merchant_client.generic(
        "POST", f"/api/v1/catalog/products/{product.pk}/images", body, content_type
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": {
            "code": "request.malformed_body",
            "message": "请求内容不是合法的 multipart 表单。",
            "extra": {},
        }
    }
    assert (ProductImage.objects.count(), _stored_files(media)) == (0, [])


@pytest.mark.django_db
def test_file_over_the_cap_is_413(merchant_client, seller, media, settings) -> None:
    settings.CATALOG_IMAGE_MAX_BYTES = 50_000
    product = ProductFactory(seller=seller)
    noisy = Image.effect_noise((800, 800), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 50_000
    size = len(buffer.getvalue())
    response = _upload(merchant_client, product.pk, buffer.getvalue(), "big.png")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "image.too_large"
    # In Chinese, naming the file, its size and the limit.
    assert size > 1024 * 1024  # 800×800 of noise: well over a megabyte
    megabytes = f"{size / 1024 / 1024:.1f}"
    assert error["message"] == f"big.png 大小为 {megabytes} MB，单张图片不能超过 48 KB。"
    assert error["extra"] == {"filename": "big.png", "bytes": size, "max_bytes": 50_000}
    assert (ProductImage.objects.count(), _stored_files(media)) == (0, [])


@pytest.mark.django_db
def test_exif_rotated_photo_is_stored_upright_without_metadata(
    merchant_client, seller, media
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    exif[0x010F] = "PhoneMaker"
    data = _jpeg(size=(1200, 900), exif=exif.tobytes())
    product = ProductFactory(seller=seller)
    body = _upload(merchant_client, product.pk, data).json()
    assert (body["width"], body["height"]) == (900, 1200)
    stored = ProductImage.objects.get()
    with Image.open(stored.original.path) as img:
        assert img.size == (900, 1200)
        assert dict(img.getexif()) == {}


@pytest.mark.django_db
def test_reorder_and_other_merchants(merchant_client, seller, media, make_user, login_as) -> None:
    product = ProductFactory(seller=seller)
    first = _upload(merchant_client, product.pk, _jpeg()).json()["id"]
    second = _upload(merchant_client, product.pk, _jpeg(colour=(0, 90, 0))).json()["id"]
    url = f"/api/v1/catalog/products/{product.pk}/images/order"
    reordered = merchant_client.put(
        url, {"image_ids": [second, first]}, content_type="application/json"
    )
    assert [(i["id"], i["position"]) for i in reordered.json()] == [(second, 1), (first, 2)]
    partial = merchant_client.put(url, {"image_ids": [second]}, content_type="application/json")
    assert partial.status_code == 422
    from backend.accounts.roles import Role

    other = login_as(make_user(Role.MERCHANT))
    assert _upload(other, product.pk, _jpeg()).status_code == 404
    assert ProductImage.objects.count() == 2


@pytest.mark.django_db
def test_seller_override_changes_the_variant_size(merchant_client, seller, media) -> None:
    response = merchant_client.put(
        f"/api/v1/catalog/image-specs/{seller.pk}/taobao_main",
        {"width": 1000, "height": 1000, "max_bytes": 2_000_000},
        content_type="application/json",
    )
    assert response.status_code == 200
    product = ProductFactory(seller=seller)
    image_id = _upload(merchant_client, product.pk, _jpeg()).json()["id"]
    image_derive(image_id=image_id)
    assert ImageVariant.objects.get(spec_name="taobao_main").width == 1000
    # Other sellers keep the default.
    other = ProductFactory()
    from backend.catalog.services_images import image_add

    other_image = image_add(product=other, data=_jpeg(), filename="x.jpg")
    image_derive(image_id=other_image.pk)
    assert ImageVariant.objects.get(image=other_image, spec_name="taobao_main").width == 800


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_the_media_worker_processes_an_upload(celery_worker, merchant_client, seller) -> None:
    product = ProductFactory(seller=seller)
    image_id = _upload(merchant_client, product.pk, _jpeg()).json()["id"]
    deadline = time.monotonic() + 30
    status = "pending"
    while time.monotonic() < deadline and status in ("pending", "processing"):
        time.sleep(0.2)
        status = merchant_client.get(f"/api/v1/catalog/products/{product.pk}").json()["images"][0][
            "status"
        ]
    assert status == "ready", celery_worker.log()
    assert ImageVariant.objects.filter(image_id=image_id).count() == 5


@pytest.mark.django_db
def test_list_shows_the_thumbnail_once_derived(merchant_client, seller, media) -> None:
    product = ProductFactory(seller=seller)
    image_id = _upload(merchant_client, product.pk, _jpeg()).json()["id"]
    before = merchant_client.get("/api/v1/catalog/products").json()["items"][0]["main_image_url"]
    assert before == ProductImage.objects.get().original.url
    image_derive(image_id=image_id)
    after = merchant_client.get("/api/v1/catalog/products").json()["items"][0]["main_image_url"]
    assert after == ImageVariant.objects.get(image_id=image_id, spec_name="thumbnail").file.url
