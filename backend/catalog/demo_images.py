"""Product cards for the demo catalogue, drawn with Pillow: the demo must never download an
image. Pure Pillow + stdlib like imaging.py.

Chinese needs a CJK font (reference/machine-notes.md: apt `fonts-wqy-microhei`); without it
the card still draws with Pillow's default font, whose missing glyphs show as boxes.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

CJK_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
JPEG_QUALITY = 90
FOOTER_TEXT = "沁水县 · 产地直供"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class DemoProduct:
    title: str
    subtitle: str
    colour: tuple[int, int, int]


# Colours picked per good: acacia honey pale gold, vitex honey amber, millet yellow,
# mountain products forest green, grains earthy brown.
DEMO_PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct(
        title="沁水刺槐蜂蜜", subtitle="太行山刺槐花期 · 500 g / 1 kg", colour=(222, 178, 60)
    ),
    DemoProduct(title="荆条蜂蜜", subtitle="山野荆条花蜜 · 500 g / 1 kg", colour=(196, 120, 36)),
    DemoProduct(title="沁水黄小米", subtitle="当年新米 · 2.5 kg", colour=(214, 166, 22)),
    DemoProduct(title="山珍", subtitle="连翘 · 山核桃 · 木耳", colour=(74, 122, 72)),
    DemoProduct(title="杂粮", subtitle="红豆 · 绿豆 · 荞麦", colour=(140, 98, 62)),
)


def draw_product_image(
    *, title: str, subtitle: str, colour: tuple[int, int, int], size: tuple[int, int] = (1200, 900)
) -> bytes:
    """A JPEG card: a soft gradient in the product's colour, a stylised jar, the title and
    subtitle, and a county footer band."""
    width, height = size
    card = _gradient(size=size, colour=colour)
    draw = ImageDraw.Draw(card)
    _draw_jar(draw=draw, size=size, colour=colour)
    text_x = width * 50 // 100
    text_width = width - text_x - width // 24
    title_font = _fitting_font(draw=draw, text=title, size=height // 9, max_width=text_width)
    subtitle_font = _fitting_font(draw=draw, text=subtitle, size=height // 22, max_width=text_width)
    draw.text((text_x, height * 30 // 100), title, font=title_font, fill=(40, 32, 24))
    draw.text((text_x, height * 48 // 100), subtitle, font=subtitle_font, fill=(70, 60, 50))
    band_top = height * 86 // 100
    draw.rectangle((0, band_top, width, height), fill=_shade(colour, 0.55))
    footer_font = _font(size=max(10, height // 28))
    draw.text(
        (width // 24, (band_top + height) // 2),
        FOOTER_TEXT,
        font=footer_font,
        fill=(255, 255, 255),
        anchor="lm",
    )
    buf = io.BytesIO()
    card.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def _gradient(*, size: tuple[int, int], colour: tuple[int, int, int]) -> Image.Image:
    # A vertical blend from near-white to a pale tint; linear_gradient is a 256-step ramp.
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    top = Image.new("RGB", size, _tint(colour, 0.92))
    bottom = Image.new("RGB", size, _tint(colour, 0.62))
    return Image.composite(bottom, top, ramp)


def _draw_jar(
    *, draw: ImageDraw.ImageDraw, size: tuple[int, int], colour: tuple[int, int, int]
) -> None:
    width, height = size
    left, right = width * 12 // 100, width * 42 // 100
    top, bottom = height * 26 // 100, height * 78 // 100
    lid_height = (bottom - top) // 7
    radius = (right - left) // 8
    draw.rounded_rectangle((left, top + lid_height, right, bottom), radius=radius, fill=colour)
    draw.rounded_rectangle(
        (left + radius // 2, top, right - radius // 2, top + lid_height + radius // 2),
        radius=radius // 3,
        fill=_shade(colour, 0.45),
    )
    # A cream label and a highlight stripe make the block read as a glass jar.
    label_top, label_bottom = top + (bottom - top) * 4 // 10, top + (bottom - top) * 7 // 10
    draw.rectangle((left, label_top, right, label_bottom), fill=(250, 244, 228))
    stripe = (right - left) // 10
    draw.rounded_rectangle(
        (left + stripe, top + lid_height * 2, left + stripe * 2, label_top - stripe),
        radius=stripe // 2,
        fill=_tint(colour, 0.5),
    )


def _fitting_font(*, draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int) -> Font:
    """The font at `size`, shrunk in 10 % steps until `text` fits (long titles)."""
    font = _font(size=max(10, size))
    while size > 10 and draw.textlength(text, font=font) > max_width:
        size = size * 9 // 10
        font = _font(size=max(10, size))
    return font


def _font(*, size: int) -> Font:
    try:
        return ImageFont.truetype(str(CJK_FONT_PATH), size=size)
    except OSError:
        logger.warning("CJK font %s missing; Chinese will show as boxes", CJK_FONT_PATH)
        return ImageFont.load_default(size=size)


def _tint(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Mix towards white by `amount` (0..1)."""
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return r, g, b


def _shade(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Mix towards black, keeping `amount` of the colour."""
    r, g, b = (round(c * amount) for c in colour)
    return r, g, b
