"""A session's share poster: a PNG sized for WeChat groups and Moments (750×1334), with
the cover (or the county's default artwork), the title, the streamer, the start time and a
QR code (segno) to the watch page. Stored under a name made from everything drawn on it,
so it is drawn once and again only when the session changes."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

import segno
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from backend.audience.notify import watch_url
from backend.live.models import LiveSession

logger = logging.getLogger(__name__)

SIZE = (750, 1334)
COVER_BOX = (750, 1000)
QR_BOX = 240
FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FOLDER = "audience/posters/"
INK, PAPER, ACCENT = (38, 38, 38), (255, 251, 240), (214, 120, 24)
DEFAULT_TEXT = "沁水县 · 直播间"
SCAN_TEXT = "长按识别二维码 进入直播间"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT_FILE.is_file():
        return ImageFont.truetype(str(FONT_FILE), size)
    return ImageFont.load_default(size)


def _lines(session: LiveSession) -> tuple[str, str]:
    start = timezone.localtime(session.started_at or session.scheduled_start)
    return str(session.streamer), start.strftime("%Y-%m-%d %H:%M")


def poster_name(session: LiveSession) -> str:
    """The stored name: the session's id and a digest of everything the poster shows."""
    parts = [session.title, session.cover_url, *_lines(session), watch_url(session.pk), "v1"]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{FOLDER}{session.pk}-{digest}.png"


def _cover(session: LiveSession) -> Image.Image:
    base = default_storage.url("")
    if session.cover_url.startswith(base):
        try:
            with default_storage.open(session.cover_url.removeprefix(base)) as fh:
                return Image.open(fh).convert("RGB").resize(COVER_BOX)
        except (OSError, ValueError):
            logger.warning("poster of session %s: cover unreadable, default artwork", session.pk)
    return _default_artwork()


def _default_artwork() -> Image.Image:
    """The county's artwork for sessions without a cover: hills in the accent colours."""
    art = Image.new("RGB", COVER_BOX, (246, 226, 180))
    draw = ImageDraw.Draw(art)
    width, height = COVER_BOX
    draw.polygon([(0, 700), (260, 430), (520, 680), (750, 470), (750, height), (0, height)],
                 fill=(121, 160, 84))  # fmt: skip
    draw.polygon([(0, 850), (330, 620), (750, 820), (750, height), (0, height)], fill=(74, 122, 62))
    draw.ellipse((540, 120, 680, 260), fill=ACCENT)
    draw.text((width // 2, 300), DEFAULT_TEXT, font=_font(64), fill=INK, anchor="mm")
    return art


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) > width and line:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line][:2]


def _qr(url: str) -> Image.Image:
    """The QR code at whole pixels per module (scanners dislike uneven modules), centred."""
    code = segno.make(url, error="m")
    scale = QR_BOX // code.symbol_size(border=3)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=3)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    box = Image.new("RGB", (QR_BOX, QR_BOX), (255, 255, 255))
    box.paste(qr, ((QR_BOX - qr.width) // 2, (QR_BOX - qr.height) // 2))
    return box


def poster_draw(session: LiveSession) -> bytes:
    poster = Image.new("RGB", SIZE, PAPER)
    poster.paste(_cover(session), (0, 0))
    draw = ImageDraw.Draw(poster)
    left, top, text_width = 32, COVER_BOX[1] + 28, SIZE[0] - QR_BOX - 3 * 32
    for n, line in enumerate(_wrap(session.title, _font(38), text_width)):
        draw.text((left, top + n * 50), line, font=_font(38), fill=INK)
    streamer, start = _lines(session)
    draw.text((left, top + 120), streamer, font=_font(28), fill=ACCENT)
    draw.text((left, top + 165), start, font=_font(28), fill=INK)
    draw.text((left, top + 230), SCAN_TEXT, font=_font(22), fill=(120, 120, 120))
    poster.paste(_qr(watch_url(session.pk)), (SIZE[0] - QR_BOX - 32, COVER_BOX[1] + 47))
    out = io.BytesIO()
    poster.save(out, "PNG", optimize=True)
    return out.getvalue()


def poster_png(*, session: LiveSession) -> bytes:
    """The poster, drawn on first request and whenever what it shows changed."""
    name = poster_name(session)
    if default_storage.exists(name):
        with default_storage.open(name) as fh:
            return bytes(fh.read())
    data = poster_draw(session)
    _, stale = default_storage.listdir(FOLDER) if default_storage.exists(FOLDER) else ([], [])
    for old in stale:
        if old.startswith(f"{session.pk}-"):
            default_storage.delete(f"{FOLDER}{old}")
    default_storage.save(name, ContentFile(data))
    return data
