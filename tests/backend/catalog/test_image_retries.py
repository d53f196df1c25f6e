"""Deriving variants reads the original from the file storage: a storage failure is
transient (retried with bounded backoff, the image back to pending), a refused image is not."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.catalog.models import ImageVariant, ProductImage
from backend.catalog.services_images import ImageStorageUnavailable, image_derive
from backend.catalog.tasks import media_image_derive
from tests.factories.catalog import ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_task_retries")]


@pytest.fixture
def uploaded(merchant_client, seller, settings, tmp_path) -> ProductImage:
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, "JPEG")
    product = ProductFactory(seller=seller)
    response = merchant_client.post(
        f"/api/v1/catalog/products/{product.pk}/images",
        {"file": SimpleUploadedFile("p.jpg", buffer.getvalue())},
    )
    assert response.status_code == 201, response.content
    return ProductImage.objects.get(pk=response.json()["id"])


def _break_storage(image: ProductImage) -> tuple[Path, bytes]:
    """The original's path turns into a folder: reading it fails with an OSError."""
    path = Path(image.original.path)
    data = path.read_bytes()
    path.unlink()
    path.mkdir()
    return path, data


def _mend_storage(path: Path, data: bytes) -> None:
    shutil.rmtree(path)
    path.write_bytes(data)


def test_a_storage_failure_leaves_the_image_pending_and_a_retry_derives_it(uploaded) -> None:
    path, data = _break_storage(uploaded)
    with pytest.raises(ImageStorageUnavailable):
        image_derive(image_id=uploaded.pk)
    uploaded.refresh_from_db()
    assert (uploaded.status, uploaded.error, ImageVariant.objects.count()) == ("pending", "", 0)
    _mend_storage(path, data)
    assert media_image_derive.apply(args=[uploaded.pk]).get() == "ready"
    uploaded.refresh_from_db()
    assert uploaded.status == "ready"
    assert ImageVariant.objects.filter(image=uploaded).count() == 5


def test_retries_are_bounded_then_the_image_fails(uploaded) -> None:
    _break_storage(uploaded)
    media_image_derive.max_retries = 2
    try:
        assert media_image_derive.apply(args=[uploaded.pk]).get() == "failed"
    finally:
        media_image_derive.max_retries = 4
    uploaded.refresh_from_db()
    assert (uploaded.status, uploaded.error) == ("failed", "storage unavailable after 3 tries")
    assert ImageVariant.objects.count() == 0


def test_a_missing_original_fails_at_once(uploaded) -> None:
    Path(uploaded.original.path).unlink()
    assert media_image_derive.apply(args=[uploaded.pk]).get() == "failed"
    uploaded.refresh_from_db()
    assert (uploaded.status, uploaded.error) == ("failed", "FileNotFoundError")
