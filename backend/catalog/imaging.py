"""Product image pipeline: upload checks, cleaning, and the derived variants.

Pure Pillow + stdlib (no Django) so it is tested without a database. The catalog services
call `inspect_upload` and `normalise` on upload and the `media` queue calls `derive_many`
with the spec rows (seeded from `DEFAULT_SPECS`). Why the numbers are what they are:
docs/decisions/0401-image-specs.md.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Below Pillow's own DecompressionBombWarning threshold (~89 MP), so an image we decode can
# never trigger it; 50 MP is ~200 MB of RGBA, more than any phone photo.
MAX_PIXELS = 50_000_000
# JPEG/WebP quality ladder when a variant is over its byte cap.
QUALITY_STEPS = (90, 85, 80, 75, 70, 65, 60, 50, 40)
ORIGINAL_QUALITY = 90
# Decode JPEGs at 1/2, 1/4 or 1/8 scale (libjpeg DCT scaling) while still keeping at least
# this many times the largest output size, then finish with LANCZOS.
DRAFT_GAP = 2.0
# resize() reduces by whole factors first when the step is at least this big; 3.0 is the
# value Pillow documents as indistinguishable from a plain LANCZOS.
REDUCING_GAP = 3.0

FORMATS = ("JPEG", "PNG", "WEBP")
MODES = ("pad", "fit")
SPEC_MIN_SIDE, SPEC_MAX_SIDE = 16, 4000  # the catalog's ImageSpec check constraint
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_SWAPPING_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations that turn the image by 90°
_ORIENTATION_TAG = 0x0112
# What Pillow raises while parsing or decoding a damaged file.
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error)


class ImageErrorCode(StrEnum):
    TOO_LARGE = "image.too_large"
    UNSUPPORTED_TYPE = "image.unsupported_type"
    CORRUPT = "image.corrupt"
    TOO_MANY_PIXELS = "image.too_many_pixels"
    CANNOT_FIT = "image.cannot_fit"


class ImageRejected(Exception):
    """An image we refuse. `code` is stable (the API's error code); `message` is English,
    the catalog translates by code."""

    def __init__(
        self, code: ImageErrorCode, message: str, *, extra: dict[str, int | str] | None = None
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.extra = extra or {}


def _parse_hex_colour(value: str) -> tuple[int, int, int]:
    if len(value) != 7 or value[0] != "#":
        raise ValueError(f"background must be #rrggbb, not {value!r}")
    try:
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
    except ValueError:
        raise ValueError(f"background must be #rrggbb, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class UploadInfo:
    format: str  # "JPEG" | "PNG" | "WEBP"
    width: int  # as displayed, after EXIF orientation
    height: int
    bytes: int
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """One derived image. Plain strings (not enums) because the catalog builds these from
    its ImageSpec rows; __post_init__ refuses values the pipeline cannot honour."""

    name: str
    platform: str  # "own" or a shop_connectors Platform value
    width: int
    height: int
    mode: str = "pad"  # pad: exact size, letterboxed; fit: inside the box, never enlarged
    format: str = "JPEG"
    max_bytes: int = 1_000_000
    background: str = "#ffffff"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {self.format!r}")
        for side in (self.width, self.height):
            if not SPEC_MIN_SIDE <= side <= SPEC_MAX_SIDE:
                raise ValueError(f"sides must be {SPEC_MIN_SIDE}..{SPEC_MAX_SIDE} px")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        _parse_hex_colour(self.background)

    @property
    def background_rgb(self) -> tuple[int, int, int]:
        return _parse_hex_colour(self.background)


@dataclass(frozen=True, slots=True)
class Derived:
    spec_name: str
    bytes: builtins.bytes
    width: int
    height: int
    format: str
    size: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


# Marketplace caps are decimal ("3M" on the seller console read as 3,000,000) to stay on the
# safe side; see docs/decisions/0401-image-specs.md.
DEFAULT_SPECS: tuple[VariantSpec, ...] = (
    VariantSpec(name="square_main", platform="own", width=800, height=800, max_bytes=500_000),
    VariantSpec(name="thumbnail", platform="own", width=240, height=240, max_bytes=60_000),
    VariantSpec(name="taobao_main", platform="taobao", width=800, height=800, max_bytes=3_000_000),
    VariantSpec(
        name="pinduoduo_main", platform="pinduoduo", width=800, height=800, max_bytes=1_000_000
    ),
    VariantSpec(name="jd_main", platform="jd", width=800, height=800, max_bytes=1_000_000),
)


def inspect_upload(*, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> UploadInfo:
    """Accept a JPEG, PNG or WebP that decodes completely, or raise ImageRejected."""
    if len(data) > max_bytes:
        raise ImageRejected(
            ImageErrorCode.TOO_LARGE,
            f"file is {len(data)} bytes, the limit is {max_bytes}",
            extra={"bytes": len(data), "max_bytes": max_bytes},
        )
    fmt = _verify(data)
    with _open_checked(data) as img:
        _load(img)
        width, height = img.size
        if _orientation(img) in _SWAPPING_ORIENTATIONS:
            width, height = height, width
    return UploadInfo(
        format=fmt,
        width=width,
        height=height,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def normalise(*, data: bytes) -> bytes:
    """The original we store: upright, sRGB, no EXIF/GPS/XMP/ICC/text, same format."""
    with _open_checked(data) as img:
        fmt = img.format or "JPEG"
        _load(img)
        upright = _upright(img)
    clean = _for_format(_to_srgb(upright), fmt)
    return _encode(clean, fmt=fmt, quality=ORIGINAL_QUALITY)


def derive(*, data: bytes, spec: VariantSpec) -> Derived:
    return derive_many(data=data, specs=[spec])[0]


def derive_many(*, data: bytes, specs: Sequence[VariantSpec]) -> list[Derived]:
    """Every variant from one decode: the decode dominates, so a task should ask for all
    of an image's specs at once."""
    with _open_checked(data) as img:
        if img.format == "JPEG" and specs:
            swapped = _orientation(img) in _SWAPPING_ORIENTATIONS
            img.draft(None, _draft_request(img.size, specs, swapped=swapped))
        _load(img)
        upright = _upright(img)
    base = _to_srgb(upright)
    wanted = "RGBA" if base.has_transparency_data else "RGB"
    base = base if base.mode == wanted else base.convert(wanted)
    # Marketplace main images usually share one size and background: resize, paste and
    # encode each distinct case once (the resize is most of the work after the decode).
    memo = _Memo(base=base)
    return [memo.render(spec) for spec in specs]


@dataclass
class _Memo:
    base: Image.Image
    contents: dict[tuple[int, int], Image.Image] = field(default_factory=dict)
    canvases: dict[tuple[object, ...], Image.Image] = field(default_factory=dict)
    encodings: dict[tuple[object, ...], builtins.bytes] = field(default_factory=dict)

    def render(self, spec: VariantSpec) -> Derived:
        content = _content_size(self.base.size, spec)
        canvas_size = (spec.width, spec.height) if spec.mode == "pad" else content
        key = (canvas_size, content, spec.background_rgb)
        if key not in self.canvases:
            self.canvases[key] = _compose(self._content(content), canvas_size, spec.background_rgb)
        out = _encode_within(self.canvases[key], spec, encodings=self.encodings, key=key)
        return Derived(
            spec_name=spec.name,
            bytes=out,
            width=canvas_size[0],
            height=canvas_size[1],
            format=spec.format,
            size=len(out),
        )

    def _content(self, size: tuple[int, int]) -> Image.Image:
        if size == self.base.size:
            return self.base
        if size not in self.contents:
            # Pillow premultiplies alpha for RGBA here, so transparent edges do not go dark.
            self.contents[size] = self.base.resize(
                size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP
            )
        return self.contents[size]


def _compose(
    content: Image.Image, canvas_size: tuple[int, int], background: tuple[int, int, int]
) -> Image.Image:
    # Variants are always opaque: marketplaces want main images on a plain background, and
    # flattening here also removes alpha before JPEG.
    canvas = Image.new("RGB", canvas_size, background)
    offset = ((canvas_size[0] - content.width) // 2, (canvas_size[1] - content.height) // 2)
    canvas.paste(content, offset, content if content.mode == "RGBA" else None)
    return canvas


def _content_size(size: tuple[int, int], spec: VariantSpec) -> tuple[int, int]:
    """The image's size inside the spec box, aspect ratio kept. `pad` enlarges small images
    (marketplaces want the full 800 px for zoom); `fit` never does."""
    width, height = size
    scale = min(spec.width / width, spec.height / height)
    if spec.mode == "fit":
        scale = min(scale, 1.0)
    return (
        max(1, min(spec.width, round(width * scale))),
        max(1, min(spec.height, round(height * scale))),
    )


def _draft_request(
    size: tuple[int, int], specs: Sequence[VariantSpec], *, swapped: bool
) -> tuple[int, int]:
    upright = (size[1], size[0]) if swapped else size
    contents = [_content_size(upright, spec) for spec in specs]
    need_w = int(max(c[0] for c in contents) * DRAFT_GAP)
    need_h = int(max(c[1] for c in contents) * DRAFT_GAP)
    return (need_h, need_w) if swapped else (need_w, need_h)


def _encode_within(
    img: Image.Image,
    spec: VariantSpec,
    *,
    encodings: dict[tuple[object, ...], builtins.bytes],
    key: tuple[object, ...],
) -> builtins.bytes:
    """The best quality on the ladder that fits the cap; `encodings` remembers what other
    specs with the same canvas already encoded."""
    qualities = QUALITY_STEPS if spec.format in ("JPEG", "WEBP") else (0,)
    smallest = 0
    for quality in qualities:
        encoding_key = (*key, spec.format, quality)
        if encoding_key not in encodings:
            encodings[encoding_key] = _encode(img, fmt=spec.format, quality=quality)
        out = encodings[encoding_key]
        if len(out) <= spec.max_bytes:
            return out
        smallest = len(out)
    raise ImageRejected(
        ImageErrorCode.CANNOT_FIT,
        f"{spec.name}: smallest encoding is {smallest} bytes, the cap is {spec.max_bytes}",
        extra={"spec": spec.name, "bytes": smallest, "max_bytes": spec.max_bytes},
    )


def _encode(img: Image.Image, *, fmt: str, quality: int) -> builtins.bytes:
    # No info travels: PNG would otherwise copy the source's ICC profile from img.info.
    img.info = {}
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=quality, optimize=True)
    elif fmt == "WEBP":
        img.save(buf, "WEBP", quality=quality, method=4)
    else:
        img.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def _for_format(img: Image.Image, fmt: str) -> Image.Image:
    """Modes each format stores well: JPEG has no alpha; PNG/WebP keep it."""
    if fmt == "JPEG":
        return img if img.mode in ("L", "RGB") else img.convert("RGB")
    if img.has_transparency_data:
        return img if img.mode == "RGBA" else img.convert("RGBA")
    if img.mode == "RGB" or (img.mode == "L" and fmt == "PNG"):
        return img
    return img.convert("RGB")


def _to_srgb(img: Image.Image) -> Image.Image:
    """Apply an embedded ICC profile so colours survive stripping it (phones shoot Display
    P3). A profile we cannot read is ignored rather than failing the upload."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).lower():
            return img
        mode = "RGBA" if img.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            img, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img
    return converted if converted is not None else img


def _open_checked(data: bytes) -> Image.Image:
    """Open (header only) after sniffing the type and checking the pixel count ourselves, so
    Pillow never gets to allocate for a bomb nor warn about one."""
    fmt = _sniff(data)
    if fmt is None:
        raise ImageRejected(ImageErrorCode.UNSUPPORTED_TYPE, "only JPEG, PNG and WebP")
    _check_pixels(*_header_size(fmt, data))
    try:
        img = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(ImageErrorCode.TOO_MANY_PIXELS, str(exc)) from exc
    except _DECODE_ERRORS as exc:
        raise ImageRejected(ImageErrorCode.CORRUPT, f"cannot read the {fmt} header") from exc
    _check_pixels(*img.size)  # Pillow's idea of the size is the one that gets decoded
    return img


def _verify(data: bytes) -> str:
    """Check the structure (PNG chunk CRCs) and return the format. verify() leaves the image
    unusable, hence a separate open for the full decode."""
    with _open_checked(data) as img:
        fmt = img.format or ""
        try:
            img.verify()
        except _DECODE_ERRORS as exc:
            raise ImageRejected(ImageErrorCode.CORRUPT, "the file is damaged") from exc
    return fmt


def _load(img: Image.Image) -> None:
    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(ImageErrorCode.TOO_MANY_PIXELS, str(exc)) from exc
    except _DECODE_ERRORS as exc:
        raise ImageRejected(ImageErrorCode.CORRUPT, "the file is truncated or damaged") from exc


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageRejected(ImageErrorCode.CORRUPT, "the image has no pixels")
    if width * height > MAX_PIXELS:
        raise ImageRejected(
            ImageErrorCode.TOO_MANY_PIXELS,
            f"{width}×{height} is over {MAX_PIXELS} pixels",
            extra={"width": width, "height": height, "max_pixels": MAX_PIXELS},
        )


def _upright(img: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(img)
    except _DECODE_ERRORS:
        return img.copy()  # unreadable EXIF: keep the pixels as stored, as _orientation does


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(_ORIENTATION_TAG, 1))
    except _DECODE_ERRORS:
        return 1  # unreadable EXIF: show the pixels as stored


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _header_size(fmt: str, data: bytes) -> tuple[int, int]:
    try:
        size = {"JPEG": _jpeg_size, "PNG": _png_size, "WEBP": _webp_size}[fmt](data)
    except (struct.error, IndexError):
        size = None
    if size is None:
        raise ImageRejected(ImageErrorCode.CORRUPT, f"no {fmt} image header")
    return size


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[12:16] != b"IHDR":  # the PNG spec puts IHDR first
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended: 24-bit canvas size minus one
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14 bits each, minus one
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy key frame
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the markers to the first SOFn (C0-CF except DHT C4, JPG C8, DAC CC)."""
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # no length field
            pos += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        if marker == 0xDA:  # scan data before any frame header
            return None
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return None
