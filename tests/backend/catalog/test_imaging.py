"""The image pipeline through its public functions; every input is made here with Pillow."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from backend.catalog import demo_images
from backend.catalog.imaging import (
    DEFAULT_SPECS,
    MAX_UPLOAD_BYTES,
    ImageErrorCode,
    ImageRejected,
    UploadInfo,
    VariantSpec,
    derive,
    derive_many,
    inspect_upload,
    normalise,
)

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)
SQUARE_MAIN = next(spec for spec in DEFAULT_SPECS if spec.name == "square_main")
GPS_IFD, ORIENTATION = 0x8825, 0x0112


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def photo(size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """Gradients plus sensor-like noise: compresses like a photo, unlike a flat colour."""
    ramp = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 40)
    return Image.merge("RGB", (ramp, noise, ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def halves(size: tuple[int, int], left: tuple[int, int, int], right: tuple[int, int, int]):
    img = Image.new("RGB", size, left)
    img.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return img


def near(pixel: object, colour: tuple[int, ...], tolerance: int = 12) -> bool:
    """JPEG moves colours a little; flat areas stay within a few levels."""
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def rejected(code: ImageErrorCode, fn, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        fn(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def png_declaring(width: int, height: int) -> bytes:
    """A real 1-bit greyscale PNG of zeros: a few kB on disk, width × height when decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = bytes(1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 500) for _ in range(height // 500)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header (SOF0) is patched to claim another size."""
    data = bytearray(encode(Image.new("RGB", (16, 16), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def rotated_jpeg(stored: tuple[int, int]) -> bytes:
    """Stored landscape, left half red and right half blue, with EXIF orientation 6 (turn
    90° clockwise to view), a camera make, GPS position, XMP and an sRGB ICC profile."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "QinshuiCam"
    exif[GPS_IFD] = {1: "N", 2: (35.0, 41.0, 12.5), 3: "E", 4: (112.0, 11.0, 3.25)}
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        halves(stored, RED, BLUE), "JPEG", exif=exif, xmp=b"<x:xmpmeta/>", icc_profile=srgb
    )


# -- inspect_upload: accepted ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mode", "params"),
    [
        ("JPEG", "RGB", {}),
        ("PNG", "RGBA", {}),
        ("WEBP", "RGB", {}),
        ("WEBP", "RGBA", {"lossless": True}),
    ],
)
def test_each_accepted_type_reports_format_size_bytes_and_hash(fmt, mode, params):
    data = encode(Image.new(mode, (321, 123), (10, 20, 30)), fmt, **params)

    info = inspect_upload(data=data)

    assert info == UploadInfo(
        format=fmt, width=321, height=123, bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    assert (
        info.content_type == {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    )


def test_exif_rotated_photo_reports_the_upright_size():
    info = inspect_upload(data=rotated_jpeg((60, 40)))
    assert (info.width, info.height) == (40, 60)


def test_a_file_exactly_at_the_cap_is_accepted_and_one_byte_over_is_not():
    data = encode(photo((300, 200)), "JPEG")

    assert inspect_upload(data=data, max_bytes=len(data)).bytes == len(data)
    error = rejected(ImageErrorCode.TOO_LARGE, inspect_upload, data=data, max_bytes=len(data) - 1)
    assert error.extra == {"bytes": len(data), "max_bytes": len(data) - 1}


def test_over_the_default_ten_megabyte_cap_is_refused_before_reading_it():
    data = b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES - 2)

    error = rejected(ImageErrorCode.TOO_LARGE, inspect_upload, data=data)

    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert error.extra == {"bytes": 10 * 1024 * 1024 + 1, "max_bytes": 10 * 1024 * 1024}


# -- inspect_upload: refused ----------------------------------------------------------------


def _other_formats() -> dict[str, bytes]:
    small = Image.new("RGB", (20, 20), RED)
    return {
        "gif": encode(small, "GIF"),
        "bmp": encode(small, "BMP"),
        "tiff": encode(small, "TIFF"),
        "ico": encode(small, "ICO"),
        "pdf renamed .jpg": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
        "text renamed .jpg": "沁水刺槐蜂蜜 500 g\n".encode(),
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "random bytes": random.Random(4).randbytes(4096),
        "empty": b"",
    }


@pytest.mark.parametrize("kind", list(_other_formats()))
def test_other_types_are_refused_as_unsupported(kind):
    data = _other_formats()[kind]

    for fn in (inspect_upload, normalise):
        rejected(ImageErrorCode.UNSUPPORTED_TYPE, fn, data=data)


def _damaged() -> dict[str, bytes]:
    jpeg = encode(photo((400, 300)), "JPEG")
    png = encode(photo((400, 300)), "PNG")
    webp = encode(photo((400, 300)), "WEBP")
    iend = png.rindex(b"IEND")
    bad_crc = bytearray(png)
    bad_crc[40] ^= 0xFF  # inside the first IDAT's data, so its CRC no longer matches
    garbage = random.Random(7).randbytes(2000)
    return {
        "jpeg cut in half": jpeg[: len(jpeg) // 2],
        "jpeg cut in the headers": jpeg[:120],
        "jpeg magic then garbage": b"\xff\xd8\xff\xe0" + garbage,
        "png cut in half": png[: len(png) // 2],
        "png without IEND": png[: iend - 4],
        "png with a bad CRC": bytes(bad_crc),
        "png signature only": png[:8],
        "webp cut in half": webp[: len(webp) // 2],
        "webp header then garbage": webp[:12] + garbage,
    }


@pytest.mark.parametrize("kind", list(_damaged()))
def test_truncated_or_damaged_files_are_refused_as_corrupt(kind):
    rejected(ImageErrorCode.CORRUPT, inspect_upload, data=_damaged()[kind])


@pytest.mark.parametrize(
    ("name", "data_fn"),
    [
        ("png 20000×20000 (Pillow's own bomb limit)", lambda: png_declaring(20000, 20000)),
        ("png 8000×8000 (only our 50 MP cap)", lambda: png_declaring(8000, 8000)),
        ("jpeg claiming 30000×30000", lambda: jpeg_declaring(30000, 30000)),
    ],
)
def test_decompression_bombs_are_refused_from_the_header_quickly(name, data_fn):
    data = data_fn()
    assert len(data) < 200_000

    for fn in (inspect_upload, normalise, lambda *, data: derive(data=data, spec=SQUARE_MAIN)):
        started = time.perf_counter()
        rejected(ImageErrorCode.TOO_MANY_PIXELS, fn, data=data)
        assert time.perf_counter() - started < 0.5


def test_a_webp_canvas_over_the_pixel_cap_is_refused():
    exif = Image.Exif()
    exif[0x010F] = "x"  # EXIF makes Pillow write the extended (VP8X) header
    data = bytearray(encode(Image.new("RGB", (16, 16), RED), "WEBP", exif=exif))
    assert data[12:16] == b"VP8X"
    data[24:30] = (9999).to_bytes(3, "little") + (9999).to_bytes(3, "little")

    error = rejected(ImageErrorCode.TOO_MANY_PIXELS, inspect_upload, data=bytes(data))

    assert error.extra == {"width": 10000, "height": 10000, "max_pixels": 50_000_000}


# -- normalise ------------------------------------------------------------------------------


def test_normalise_turns_an_exif_rotated_photo_upright_and_strips_all_metadata():
    source = rotated_jpeg((60, 40))
    assert decode(source).getexif().get_ifd(GPS_IFD)[1] == "N"  # the input really has GPS

    clean = normalise(data=source)

    img = decode(clean)
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (40, 60))
    assert near(img.getpixel((20, 10)), RED) and near(img.getpixel((20, 50)), BLUE)
    assert len(img.getexif()) == 0 and img.getexif().get_ifd(GPS_IFD) == {}
    assert {"exif", "xmp", "icc_profile"} & set(img.info) == set()
    # 0xFF is byte-stuffed in JPEG scan data, so these can only be APP1 (EXIF/XMP) or
    # APP2 (ICC) markers.
    assert b"\xff\xe1" not in clean and b"\xff\xe2" not in clean
    assert b"QinshuiCam" not in clean


def test_normalise_keeps_png_alpha_and_drops_text_icc_and_exif():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "shot at 35.68N 112.18E")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta/>")
    exif = Image.Exif()
    exif[0x010F] = "QinshuiCam"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = Image.new("RGBA", (30, 20), (0, 128, 0, 100))
    data = encode(source, "PNG", pnginfo=info, exif=exif, icc_profile=srgb)

    img = decode(normalise(data=data))

    assert (img.format, img.mode, img.size) == ("PNG", "RGBA", (30, 20))
    assert img.getpixel((5, 5)) == (0, 128, 0, 100)
    assert img.info == {}


def test_normalise_keeps_webp_as_webp_with_alpha_and_no_metadata():
    exif = Image.Exif()
    exif[ORIENTATION] = 8  # turn 90° counter-clockwise to view
    data = encode(
        Image.new("RGBA", (30, 20), (0, 0, 255, 128)), "WEBP", exif=exif, xmp=b"<x:xmpmeta/>"
    )

    img = decode(normalise(data=data))

    assert (img.format, img.mode, img.size) == ("WEBP", "RGBA", (20, 30))
    assert img.getpixel((10, 15))[3] == 128
    assert {"exif", "xmp", "icc_profile"} & set(img.info) == set()


def test_normalise_turns_a_palette_png_with_transparency_into_rgba():
    palette = Image.new("P", (10, 10), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0])
    data = encode(palette, "PNG", transparency=1)

    img = decode(normalise(data=data))

    assert (img.mode, img.getpixel((3, 3))) == ("RGBA", (255, 0, 0, 0))


# -- derive ---------------------------------------------------------------------------------


def test_every_default_spec_gets_exactly_its_size_within_its_byte_cap():
    data = encode(photo((2000, 1500)), "JPEG", quality=95)

    variants = derive_many(data=data, specs=DEFAULT_SPECS)

    assert [v.spec_name for v in variants] == [
        "square_main",
        "thumbnail",
        "taobao_main",
        "pinduoduo_main",
        "jd_main",
    ]
    for spec, variant in zip(DEFAULT_SPECS, variants, strict=True):
        img = decode(variant.bytes)
        assert (variant.width, variant.height) == (spec.width, spec.height)
        assert img.size == (spec.width, spec.height)
        assert (variant.format, img.format) == (spec.format, spec.format)
        assert variant.size == len(variant.bytes) <= spec.max_bytes
        assert "exif" not in img.info


def test_default_specs_are_the_documented_ones():
    assert {
        (s.name, s.platform, s.width, s.height, s.mode, s.max_bytes) for s in DEFAULT_SPECS
    } == {
        ("square_main", "own", 800, 800, "pad", 500_000),
        ("thumbnail", "own", 240, 240, "pad", 60_000),
        ("taobao_main", "taobao", 800, 800, "pad", 3_000_000),
        ("pinduoduo_main", "pinduoduo", 800, 800, "pad", 1_000_000),
        ("jd_main", "jd", 800, 800, "pad", 1_000_000),
    }


def test_derive_equals_derive_many_for_one_spec():
    data = encode(photo((600, 400)), "PNG")

    assert derive(data=data, spec=SQUARE_MAIN) == derive_many(data=data, specs=[SQUARE_MAIN])[0]


def test_padding_keeps_the_whole_wide_image_with_white_bands_top_and_bottom():
    data = encode(Image.new("RGB", (400, 100), RED), "PNG")

    img = decode(derive(data=data, spec=SQUARE_MAIN).bytes)

    # 400×100 → 800×200, centred: rows 300..499 red, white above and below.
    assert img.size == (800, 800)
    for y in (0, 150, 290, 510, 650, 799):
        assert near(img.getpixel((400, y)), WHITE), y
    for x, y in ((2, 310), (400, 400), (797, 490)):
        assert near(img.getpixel((x, y)), RED), (x, y)


def test_padding_a_tall_image_puts_bands_left_and_right_in_the_spec_colour():
    spec = replace(SQUARE_MAIN, name="dark", background="#102030")
    data = encode(Image.new("RGB", (100, 400), RED), "WEBP", lossless=True)

    img = decode(derive(data=data, spec=spec).bytes)

    assert near(img.getpixel((100, 400)), (16, 32, 48)) and near(
        img.getpixel((700, 400)), (16, 32, 48)
    )
    assert near(img.getpixel((400, 5)), RED) and near(img.getpixel((400, 795)), RED)


def test_fit_mode_keeps_the_aspect_and_never_enlarges():
    spec = VariantSpec(name="fit", platform="own", width=240, height=240, mode="fit")
    wide = encode(Image.new("RGB", (400, 100), RED), "PNG")
    small = encode(Image.new("RGB", (100, 50), RED), "PNG")

    assert decode(derive(data=wide, spec=spec).bytes).size == (240, 60)
    assert decode(derive(data=small, spec=spec).bytes).size == (100, 50)


@pytest.mark.parametrize("stored", [(60, 40), (3000, 2000)])
def test_variants_of_a_rotated_photo_are_upright(stored):
    # The large one goes through the JPEG draft (scaled decode) path with swapped axes.
    img = decode(derive(data=rotated_jpeg(stored), spec=SQUARE_MAIN).bytes)

    # Upright it is 2:3 portrait, top red and bottom blue: 533×800 centred, white sides.
    assert near(img.getpixel((400, 200)), RED) and near(img.getpixel((400, 600)), BLUE)
    assert near(img.getpixel((60, 400)), WHITE) and near(img.getpixel((740, 400)), WHITE)


def test_alpha_png_is_flattened_onto_the_background_for_jpeg():
    source = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    source.paste((0, 0, 255, 255), (100, 0, 200, 200))
    data = encode(source, "PNG")

    variant = derive(data=data, spec=SQUARE_MAIN)

    img = decode(variant.bytes)
    assert (img.format, img.mode) == ("JPEG", "RGB")
    assert near(img.getpixel((200, 400)), WHITE) and near(img.getpixel((600, 400)), BLUE)


def test_quality_steps_down_until_the_variant_fits():
    data = encode(photo((800, 800)), "PNG")
    roomy = derive(data=data, spec=replace(SQUARE_MAIN, max_bytes=10_000_000))

    tight = derive(data=data, spec=replace(SQUARE_MAIN, max_bytes=roomy.size - 1))

    assert tight.size <= roomy.size - 1
    assert (tight.width, tight.height) == (800, 800)


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_a_cap_no_quality_can_meet_is_refused(fmt):
    data = encode(photo((300, 300)), "PNG")
    spec = replace(SQUARE_MAIN, name="tiny", format=fmt, width=300, height=300, max_bytes=2_000)

    error = rejected(ImageErrorCode.CANNOT_FIT, derive, data=data, spec=spec)

    assert error.extra["spec"] == "tiny" and error.extra["max_bytes"] == 2_000


@pytest.mark.parametrize(
    "change",
    [
        {"mode": "crop"},
        {"format": "GIF"},
        {"width": 15},
        {"height": 4001},
        {"max_bytes": 0},
        {"background": "white"},
        {"background": "#12345g"},
    ],
)
def test_a_spec_the_pipeline_cannot_honour_is_refused(change):
    with pytest.raises(ValueError):
        replace(SQUARE_MAIN, **change)


# -- demo images ----------------------------------------------------------------------------


@pytest.mark.parametrize("product", demo_images.DEMO_PRODUCTS, ids=lambda p: p.title)
def test_demo_cards_are_jpegs_the_pipeline_accepts(product):
    data = demo_images.draw_product_image(
        title=product.title, subtitle=product.subtitle, colour=product.colour
    )

    info = inspect_upload(data=data)
    assert (info.format, info.width, info.height) == ("JPEG", 1200, 900)


def test_demo_card_draws_without_the_cjk_font(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(demo_images, "CJK_FONT_PATH", tmp_path / "missing.ttc")

    data = demo_images.draw_product_image(
        title="沁水黄小米", subtitle="2.5 kg", colour=(214, 166, 22), size=(400, 300)
    )

    assert decode(data).size == (400, 300)
