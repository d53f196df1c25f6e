"""Where a moment of the session falls in its replay.

A session's recordings are stretches of wall-clock time (an encoder that reconnects makes a
new one); the replay keeps what was on air (开播 to the end, never the private rehearsal)
and plays the kept stretches back to back. Pure: no Django, no files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, kw_only=True)
class Piece:
    """One recording: its first frame's wall time and its length."""

    index: int
    wall_start: datetime
    duration_s: float


@dataclass(frozen=True, kw_only=True)
class Stretch:
    """What the replay keeps of one piece: from ``inpoint_s`` to ``outpoint_s`` of the
    piece, played from ``at_s`` of the replay."""

    piece: Piece
    inpoint_s: float
    outpoint_s: float
    at_s: float

    @property
    def wall_from(self) -> datetime:
        return self.piece.wall_start + timedelta(seconds=self.inpoint_s)

    @property
    def wall_to(self) -> datetime:
        return self.piece.wall_start + timedelta(seconds=self.outpoint_s)


def stretches_on_air(
    *,
    pieces: list[Piece],
    on_air_from: datetime,
    on_air_to: datetime,
    snap: Callable[[Piece, float], float] = lambda piece, at_s: at_s,
) -> list[Stretch]:
    """The part of each piece between 开播 and the end, in order, placed end to end.
    ``snap`` moves an inpoint inside a piece (to its nearest keyframe: a copy starts there)."""
    kept: list[Stretch] = []
    at = 0.0
    for piece in sorted(pieces, key=lambda p: p.wall_start):
        inpoint = max(0.0, (on_air_from - piece.wall_start).total_seconds())
        inpoint = snap(piece, inpoint) if inpoint > 0 else 0.0
        outpoint = min(piece.duration_s, (on_air_to - piece.wall_start).total_seconds())
        if outpoint - inpoint < 0.5:
            continue  # a rehearsal-only recording, or a blink
        kept.append(Stretch(piece=piece, inpoint_s=inpoint, outpoint_s=outpoint, at_s=at))
        at += outpoint - inpoint
    return kept


def replay_offset(*, stretches: list[Stretch], at: datetime) -> float:
    """Seconds into the replay of a wall-clock moment: a moment between two recordings
    (the encoder away) maps to where the next one starts."""
    for stretch in stretches:
        if at < stretch.wall_from:
            return stretch.at_s
        if at <= stretch.wall_to:
            return stretch.at_s + (at - stretch.wall_from).total_seconds()
    if not stretches:
        return 0.0
    last = stretches[-1]
    return last.at_s + last.outpoint_s - last.inpoint_s
