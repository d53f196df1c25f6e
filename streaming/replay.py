"""Recordings after the stream: remux to MP4, clip, cover and periodic thumbnails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from streaming.errors import MediaError
from streaming.ffrun import run_spec
from streaming.probe import media_probe

MP4_FLAGS = "+faststart"


def _timeout(*, seconds_of_media: float, factor: float = 2.0) -> float:
    """Generous but bounded: a stream-copy pass reads far faster than real time."""
    return 30.0 + seconds_of_media * factor


def recording_remux(*, source: Path, target: Path, timeout_s: float | None = None) -> Path:
    """Copy the FLV recording's streams into an MP4 with the index up front (faststart)."""
    limit = timeout_s or _timeout(seconds_of_media=media_probe(path=source).duration_s, factor=0.5)
    spec = ffmpeg.input(str(source)).output(str(target), c="copy", movflags=MP4_FLAGS)
    run_spec(spec=spec, timeout_s=limit, what="remux")
    return target


@dataclass(frozen=True, kw_only=True)
class JoinPiece:
    """A stretch of one file: from ``inpoint_s`` (a keyframe, for a clean copy) to
    ``outpoint_s`` (None: its end)."""

    path: Path
    inpoint_s: float = 0.0
    outpoint_s: float | None = None


def _concat_quote(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "'\\''") + "'"


def pieces_join(
    *, pieces: list[JoinPiece], target: Path, seconds_of_media: float, list_file: Path
) -> Path:
    """Stream-copy stretches of several files (a session's recordings) into one MP4 with
    faststart, through ffmpeg's concat demuxer: nothing is held in memory."""
    if not pieces:
        raise MediaError("nothing to join")
    lines = ["ffconcat version 1.0"]
    for piece in pieces:
        lines.append(f"file {_concat_quote(piece.path)}")
        if piece.inpoint_s > 0:
            lines.append(f"inpoint {piece.inpoint_s:.3f}")
        if piece.outpoint_s is not None:
            lines.append(f"outpoint {piece.outpoint_s:.3f}")
    list_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = ffmpeg.input(str(list_file), f="concat", safe=0).output(
        str(target), c="copy", movflags=MP4_FLAGS
    )
    run_spec(
        spec=spec, timeout_s=_timeout(seconds_of_media=seconds_of_media, factor=0.5), what="join"
    )
    return target


@dataclass(frozen=True, kw_only=True)
class ClipSpan:
    start_s: float
    end_s: float

    def __post_init__(self) -> None:
        if self.start_s < 0 or self.end_s <= self.start_s:
            raise MediaError(f"bad clip span {self.start_s}..{self.end_s}")

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def _clip_spec(*, source: Path, target: Path, span: ClipSpan, exact: bool) -> Any:
    # -ss before -i seeks on the index; with stream copy the clip starts on the keyframe
    # at or before start_s, so it may run up to one keyframe interval long.
    src = ffmpeg.input(str(source), ss=f"{span.start_s:.3f}")
    common: dict[str, str] = {"t": f"{span.duration_s:.3f}", "movflags": MP4_FLAGS}
    if exact:
        return src.output(
            str(target), vcodec="libx264", preset="veryfast", crf=20, acodec="aac", **common
        )
    return src.output(str(target), c="copy", avoid_negative_ts="make_zero", **common)


def clip_cut(
    *, source: Path, target: Path, span: ClipSpan, exact: bool = False, timeout_s: float = 0
) -> Path:
    """Cut ``span`` out of ``source``: stream copy on keyframes, or re-encoded when ``exact``."""
    factor = 3.0 if exact else 0.2
    limit = timeout_s or _timeout(seconds_of_media=span.duration_s, factor=factor)
    spec = _clip_spec(source=source, target=target, span=span, exact=exact)
    run_spec(spec=spec, timeout_s=limit, what="exact clip" if exact else "clip")
    return target


def cover_pick(
    *,
    source: Path,
    target: Path,
    at_s: float | None = None,
    width: int = 640,
    timeout_s: float = 60,
) -> Path:
    """A cover image: the most representative frame of a stretch near the start.

    ``thumbnail`` picks the frame closest to the average of a batch of frames, which skips
    black fades and the encoder's first blurry frames.
    """
    duration = media_probe(path=source).duration_s
    start = at_s if at_s is not None else min(duration * 0.1, 10.0)
    src = ffmpeg.input(str(source), ss=f"{start:.3f}")
    frames = src["v"].filter("thumbnail", 60).filter("scale", width, -2)
    spec = ffmpeg.output(frames, str(target), vframes=1, **{"q:v": 3})
    run_spec(spec=spec, timeout_s=timeout_s, what="cover")
    return target


def thumbnails_make(
    *,
    source: Path,
    folder: Path,
    every_s: float = 10.0,
    width: int = 320,
    timeout_s: float | None = None,
) -> list[Path]:
    """One JPEG every ``every_s`` seconds, named ``thumb-0001.jpg`` onwards."""
    folder.mkdir(parents=True, exist_ok=True)
    limit = timeout_s or _timeout(seconds_of_media=media_probe(path=source).duration_s, factor=1.0)
    frames = (
        ffmpeg.input(str(source))["v"].filter("fps", f"1/{every_s:g}").filter("scale", width, -2)
    )
    spec = ffmpeg.output(frames, str(folder / "thumb-%04d.jpg"), **{"q:v": 5})
    run_spec(spec=spec, timeout_s=limit, what="thumbnails")
    return sorted(folder.glob("thumb-*.jpg"))
