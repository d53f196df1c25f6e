"""Benchmark of the media plane (run: .venv/bin/python tests/bench/bench_streaming.py).

1. Ten 60-second clips from a 20-minute recording: ``streaming.clip_cut`` (stream copy)
   beside a bare ``ffmpeg -ss … -t … -c copy`` of the same cuts, timed in the same run.
2. The live ladder on a 720p30 source: speed as a multiple of real time (must stay above
   1.0) and its CPU share, beside a copy-only HLS pass (no 480p encode) as baseline.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streaming.ffrun import compile_args
from streaming.ladder import ladder_spec
from streaming.probe import media_probe
from streaming.replay import ClipSpan, clip_cut, recording_remux
from streaming.settings import Ladder, MediaSettings
from streaming.testpattern import pattern_file_write

CLIPS = 10
CLIP_S = 60.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and child CPU seconds of one call."""
    cpu, wall = _children_cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - wall, _children_cpu() - cpu


def _starts(duration_s: float) -> list[float]:
    step = (duration_s - CLIP_S - 5) / (CLIPS - 1)
    return [round(3.3 + i * step, 3) for i in range(CLIPS)]


def _bare_cut(source: Path, target: Path, start: float) -> None:
    args = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", f"{start}",
            "-i", str(source), "-t", f"{CLIP_S}", "-c", "copy", str(target)]  # fmt: skip
    subprocess.run(args, check=True, timeout=120)


def bench_clips(work: Path, minutes: float) -> None:
    seconds = minutes * 60
    flv = work / "recording.flv"
    gen, _ = _timed(lambda: pattern_file_write(path=flv, seconds=seconds, size="640x360"))
    print(f"recording: {minutes:g} min 640x360 test pattern, GOP 2 s, written in {gen:.1f} s")
    mp4 = work / "replay.mp4"
    remux, _ = _timed(lambda: recording_remux(source=flv, target=mp4))
    print(f"remux FLV -> MP4 (faststart): {remux:.2f} s for {minutes:g} min")
    starts = _starts(media_probe(path=mp4).duration_s)
    ours, bare, lengths = [], [], []
    for i, start in enumerate(starts):
        span = ClipSpan(start_s=start, end_s=start + CLIP_S)
        out = work / f"clip-{i}.mp4"
        ours.append(_timed(lambda: clip_cut(source=mp4, target=out, span=span))[0])  # noqa: B023
        lengths.append(media_probe(path=out).duration_s)
        bare.append(_timed(lambda: _bare_cut(mp4, work / f"bare-{i}.mp4", start))[0])  # noqa: B023
    print(f"clips: {CLIPS} x {CLIP_S:g} s, durations {min(lengths):.2f}..{max(lengths):.2f} s")
    for label, times in (("streaming.clip_cut   ", ours), ("bare ffmpeg -c copy  ", bare)):
        mean, median = statistics.mean(times), statistics.median(times)
        print(f"  {label}: {mean:.3f} s/clip (median {median:.3f})")
    exact = ClipSpan(start_s=starts[1], end_s=starts[1] + CLIP_S)
    wall, _ = _timed(
        lambda: clip_cut(source=mp4, target=work / "exact.mp4", span=exact, exact=True)
    )
    print(f"  exact (re-encoded) clip: {wall:.2f} s for one 60 s clip")


def _hls_run(args: list[str]) -> None:
    subprocess.run(args, check=True, timeout=600)


def bench_ladder(work: Path, seconds: float) -> None:
    source = work / "source-720p.flv"
    pattern_file_write(path=source, seconds=seconds, size="1280x720")
    settings = MediaSettings(
        prefix=work, hls_dir=work, record_dir=work, rtmp_port=1, http_port=2,
        callback_base_url="http://127.0.0.1:1", callback_secret="-", ladder=Ladder(),
    )  # fmt: skip
    out = work / "ladder"
    args = compile_args(
        spec=ladder_spec(source_url=str(source), out_dir=str(out), settings=settings)
    )
    args[1:1] = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    wall, cpu = _timed(lambda: _hls_run(args))
    base_args = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                 "-i", str(source), "-c", "copy", "-f", "hls", "-hls_time", "2",
                 str(work / "copy.m3u8")]  # fmt: skip
    base_wall, base_cpu = _timed(lambda: _hls_run(base_args))
    cores = os.cpu_count() or 1
    print(
        f"ladder: {seconds:g} s of 1280x720 30 fps -> source copy + 480p ({settings.ladder.preset})"
    )
    share = 100 * cpu / seconds / cores
    print(f"  speed {seconds / wall:.2f}x real time; at real time it needs {cpu / seconds:.2f} "
          f"CPU-s per s = {share:.0f} % of this {cores}-core machine")  # fmt: skip
    print(f"  baseline copy-only HLS: {seconds / base_wall:.1f}x real time, "
          f"{100 * base_cpu / seconds / cores:.1f} % CPU at real time")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=20.0, help="length of the recording")
    parser.add_argument("--ladder-seconds", type=float, default=60.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-streaming-"))
    try:
        bench_clips(work, args.minutes)
        bench_ladder(work, args.ladder_seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
