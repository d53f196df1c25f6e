"""Image variants benchmark: our pipeline against Pillow's bare open → resize → save.

    python tests/bench/bench_images.py [--count 200]

Makes COUNT synthetic 4000×3000 photos (gradients + noise, JPEG) in a temporary folder
(generation time is reported, not counted), then in one process (= one `media` worker):

  * ours: `derive_many` with every DEFAULT_SPECS variant of each photo (one decode each);
  * baseline: `Image.open(path).resize((800, 800)).save(jpeg)`, one output per photo.

Both read the same files from disk; the figure is photos per second per worker.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.catalog.imaging import DEFAULT_SPECS, derive_many

PHOTO_SIZE = (4000, 3000)


def noise_field() -> Image.Image:
    """Sensor-like grain, made once: Gaussian noise is the slow part of generating."""
    margin = (PHOTO_SIZE[0] + 400, PHOTO_SIZE[1] + 300)
    return Image.merge("RGB", [Image.effect_noise(margin, 14) for _ in range(3)])


def make_photo(path: Path, *, seed: int, noise: Image.Image) -> None:
    """Smooth gradients (sky, shading) plus a differently placed crop of the grain, so each
    JPEG is photo-sized (a few MB) and distinct, not a flat colour that compresses to nothing."""
    ramp = Image.linear_gradient("L").resize(PHOTO_SIZE)
    radial = Image.radial_gradient("L").resize(PHOTO_SIZE)
    turn = (None, Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT)[seed % 3]
    shading = Image.merge("RGB", (ramp, radial, ramp if turn is None else ramp.transpose(turn)))
    left, top = (seed * 37) % 400, (seed * 53) % 300
    grain = noise.crop((left, top, left + PHOTO_SIZE[0], top + PHOTO_SIZE[1]))
    Image.blend(shading, grain, 0.3 + (seed % 5) / 50).save(path, "JPEG", quality=90)


def ours(path: Path) -> int:
    variants = derive_many(data=path.read_bytes(), specs=DEFAULT_SPECS)
    return sum(variant.size for variant in variants)


def baseline(path: Path) -> int:
    buf = io.BytesIO()
    with Image.open(path) as img:
        img.resize((800, 800)).save(buf, "JPEG")
    return buf.tell()


def run(label: str, fn: Callable[[Path], int], paths: list[Path]) -> float:
    started = time.perf_counter()
    written = sum(fn(path) for path in paths)
    elapsed = time.perf_counter() - started
    rate = len(paths) / elapsed
    print(
        f"{label:<44} {elapsed:7.2f} s  {rate:6.2f} photos/s  "
        f"{elapsed / len(paths) * 1000:6.1f} ms/photo  {written / len(paths) / 1024:7.1f} KiB out"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-images-") as folder:
        started = time.perf_counter()
        paths = [Path(folder) / f"photo{i:04d}.jpg" for i in range(args.count)]
        noise = noise_field()
        for seed, path in enumerate(paths):
            make_photo(path, seed=seed, noise=noise)
        mean_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(
            f"generated {args.count} photos {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} "
            f"(mean {mean_mb:.2f} MB) in {time.perf_counter() - started:.1f} s (not counted)"
        )
        names = ", ".join(spec.name for spec in DEFAULT_SPECS)
        print(f"variants per photo: {len(DEFAULT_SPECS)} ({names})")
        base_rate = run("baseline: open → resize 800×800 → save", baseline, paths)
        our_rate = run(f"ours: derive_many, {len(DEFAULT_SPECS)} variants", ours, paths)
        print(f"ratio ours / baseline: {our_rate / base_rate:.2f}× (photos per second, one worker)")


if __name__ == "__main__":
    main()
