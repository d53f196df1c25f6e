"""Product images: validated and cleaned at upload, variants derived in the media queue."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from backend.catalog import imaging
from backend.catalog.lock_objects import product_lock
from backend.catalog.models import ImageSpec, ImageVariant, Product, ProductImage
from backend.catalog.services import product_updated_publish
from backend.common.errors import DomainError, Invalid, NotFound, Unavailable

logger = logging.getLogger(__name__)
Status = ProductImage.Status

_REJECTION_STATUS = {
    "image.too_large": 413,
    "image.unsupported_type": 415,
    "image.corrupt": 422,
    "image.too_many_pixels": 422,
    "image.cannot_fit": 422,
}
MAX_IMAGES = 20


def _size_words(size: int) -> str:
    """12_582_912 → "12 MB", 1_258_291 → "1.2 MB", 50_000 → "49 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{size // 1024} KB"


def image_too_large(*, size: int, filename: str) -> DomainError:
    """The upload limit, in words that name it (and the file's size)."""
    limit = settings.CATALOG_IMAGE_MAX_BYTES
    return DomainError(
        _("%(name)s is %(size)s; an image may be at most %(limit)s.")
        % {"name": filename, "size": _size_words(size), "limit": _size_words(limit)},
        code=imaging.ImageErrorCode.TOO_LARGE,
        status=413,
        extra={"filename": filename, "bytes": size, "max_bytes": limit},
    )


def _rejection_message(exc: imaging.ImageRejected) -> str:
    messages = {
        "image.unsupported_type": _("Only JPEG, PNG and WebP images are accepted."),
        "image.corrupt": _("The image is damaged or incomplete."),
        "image.too_many_pixels": _("The image has too many pixels."),
        "image.cannot_fit": _("The image cannot be made small enough for a marketplace."),
    }
    return str(messages.get(exc.code, exc.message))


def image_upload_read(*, file: UploadedFile) -> tuple[bytes, str]:
    """The uploaded file's bytes and name; one over the limit is refused before it is read
    into memory (every image upload endpoint reads through here)."""
    filename = file.name or "upload"
    if file.size and file.size > settings.CATALOG_IMAGE_MAX_BYTES:
        raise image_too_large(size=file.size, filename=filename)
    return file.read(), filename


def image_checked(*, data: bytes, filename: str) -> tuple[imaging.UploadInfo, bytes]:
    """An uploaded image validated and cleaned (EXIF orientation applied, metadata stripped),
    or the DomainError that says in words why it is refused. Every image upload goes here."""
    try:
        info = imaging.inspect_upload(data=data, max_bytes=settings.CATALOG_IMAGE_MAX_BYTES)
        return info, imaging.normalise(data=data)
    except imaging.ImageRejected as exc:
        if exc.code == imaging.ImageErrorCode.TOO_LARGE:
            raise image_too_large(size=len(data), filename=filename) from exc
        raise DomainError(
            _rejection_message(exc),
            code=exc.code,
            status=_REJECTION_STATUS.get(exc.code, 422),
            extra={"filename": filename, **exc.extra},
        ) from exc


def image_add(*, product: Product, data: bytes, filename: str) -> ProductImage:
    """Validate, clean and store the original; the variants follow in the media queue.
    A refused file stores nothing."""
    info, cleaned = image_checked(data=data, filename=filename)
    with transaction.atomic():
        product_lock(product_id=product.pk)
        if product.images.count() >= MAX_IMAGES:
            raise Invalid(_("A product has at most %(n)d images.") % {"n": MAX_IMAGES})
        position = (product.images.aggregate(m=Max("position"))["m"] or 0) + 1
        image = ProductImage(
            product=product,
            position=position,
            format=info.format,
            width=info.width,
            height=info.height,
            size_bytes=len(cleaned),
            sha256=info.sha256,
        )
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[info.format]
        image.original.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(cleaned), save=False)
        image.save()
        transaction.on_commit(lambda: _derive_later(image.pk))
    return image


def _derive_later(image_id: int) -> None:
    from backend.catalog.tasks import media_image_derive

    media_image_derive.delay(image_id)


def specs_for(*, seller_id: int) -> list[imaging.VariantSpec]:
    """The default spec table with this seller's overrides (by name) applied."""
    by_name: dict[str, ImageSpec] = {}
    for spec in ImageSpec.objects.filter(is_active=True, seller__isnull=True):
        by_name[spec.name] = spec
    for spec in ImageSpec.objects.filter(seller_id=seller_id):
        if spec.is_active:
            by_name[spec.name] = spec
        else:
            by_name.pop(spec.name, None)
    return [
        imaging.VariantSpec(
            name=s.name,
            platform=s.platform,
            width=s.width,
            height=s.height,
            mode=s.mode,
            format=s.format,
            max_bytes=s.max_bytes,
            background=s.background,
        )
        for s in by_name.values()
    ]


class ImageStorageUnavailable(Unavailable):
    """The original could not be read (the file storage failed): transient, retried."""


def _original_read(image: ProductImage) -> bytes:
    try:
        with image.original.open("rb") as handle:
            return bytes(handle.read())
    except FileNotFoundError:
        raise  # gone for good: the image fails below
    except OSError as exc:
        logger.warning("image %s: storage unavailable: %s", image.pk, type(exc).__name__)
        raise ImageStorageUnavailable() from exc


def image_derive_give_up(*, image_id: int, tries: int) -> str:
    ProductImage.objects.filter(pk=image_id, status=Status.PENDING).update(
        status=Status.FAILED, error=f"storage unavailable after {tries} tries"
    )
    return Status.FAILED


def image_derive(*, image_id: int) -> str:
    """Make every variant of one image. Safe to run twice: variants are replaced. Raises
    ImageStorageUnavailable (the image back to pending) when the original cannot be read."""
    claimed = ProductImage.objects.filter(
        pk=image_id, status__in=[Status.PENDING, Status.FAILED]
    ).update(status=Status.PROCESSING)
    if not claimed:
        return "skipped"
    image = ProductImage.objects.select_related("product").get(pk=image_id)
    try:
        data = _original_read(image)
        specs = specs_for(seller_id=image.product.seller_id)
        made = list(zip(specs, imaging.derive_many(data=data, specs=specs), strict=True))
    except ImageStorageUnavailable:
        ProductImage.objects.filter(pk=image_id).update(status=Status.PENDING)
        raise
    except Exception as exc:
        logger.warning("image %s failed: %s", image_id, type(exc).__name__)
        message = (
            _rejection_message(exc)
            if isinstance(exc, imaging.ImageRejected)
            else (type(exc).__name__)
        )
        ProductImage.objects.filter(pk=image_id).update(status=Status.FAILED, error=message[:300])
        return Status.FAILED
    with transaction.atomic():
        image.variants.all().delete()
        for spec, derived in made:
            variant = ImageVariant(
                image=image,
                spec_name=spec.name,
                platform=spec.platform,
                width=derived.width,
                height=derived.height,
                size_bytes=derived.size,
                format=derived.format,
            )
            ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[derived.format]
            variant.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(derived.bytes), save=False)
            variant.save()
        ProductImage.objects.filter(pk=image_id).update(status=Status.READY, error="")
        product_updated_publish(image.product, ["images"])
    return Status.READY


def images_reorder(*, product: Product, image_ids: list[int]) -> list[ProductImage]:
    with transaction.atomic():
        current = set(product.images.values_list("id", flat=True))
        if set(image_ids) != current or len(image_ids) != len(current):
            raise Invalid(
                _("List every image of the product exactly once."),
                extra={"expected": sorted(current)},
            )
        for position, image_id in enumerate(image_ids, start=1):
            ProductImage.objects.filter(pk=image_id).update(position=position)
        product_updated_publish(product, ["images"])
    return list(product.images.all())


def image_delete(*, product: Product, image_id: int) -> None:
    image = product.images.filter(pk=image_id).first()
    if image is None:
        raise NotFound()
    with transaction.atomic():
        image.delete()
        product_updated_publish(product, ["images"])
    # Files go after the rows: a failed delete leaves orphans, never dangling rows.
    transaction.on_commit(lambda: image.original.delete(save=False))


def image_spec_override(
    *, seller_id: int, name: str, width: int, height: int, max_bytes: int
) -> ImageSpec:
    """A seller's own values for one default spec; applies to images derived from now on."""
    default = ImageSpec.objects.filter(name=name, seller__isnull=True).first()
    if default is None:
        raise NotFound(_("Unknown image spec."))
    spec, _created = ImageSpec.objects.update_or_create(
        name=name,
        seller_id=seller_id,
        defaults={
            "platform": default.platform,
            "width": width,
            "height": height,
            "mode": default.mode,
            "format": default.format,
            "max_bytes": max_bytes,
            "background": default.background,
            "is_active": True,
        },
    )
    return spec
