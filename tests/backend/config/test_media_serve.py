"""Uploads served by the app (make run, tests) answer byte ranges, so a browser can seek
in a replay: the asked bytes with 206, a suffix range, a range past the end refused."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client


def _file() -> bytes:
    data = bytes(range(256)) * 4  # 1,024 bytes
    path = Path(settings.MEDIA_ROOT) / "tests" / "ranges.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def test_ranges_of_an_upload() -> None:
    data = _file()
    client = Client()
    whole = client.get("/media/tests/ranges.mp4")
    assert (whole.status_code, whole["Accept-Ranges"]) == (200, "bytes")
    part = client.get("/media/tests/ranges.mp4", HTTP_RANGE="bytes=100-199")
    assert (part.status_code, part["Content-Range"], part["Content-Type"]) == (
        206, "bytes 100-199/1024", "video/mp4",
    )  # fmt: skip
    assert b"".join(part.streaming_content) == data[100:200]
    tail = client.get("/media/tests/ranges.mp4", HTTP_RANGE="bytes=-24")
    assert b"".join(tail.streaming_content) == data[1000:]
    rest = client.get("/media/tests/ranges.mp4", HTTP_RANGE="bytes=1000-")
    assert rest["Content-Range"] == "bytes 1000-1023/1024"
    refused = client.get("/media/tests/ranges.mp4", HTTP_RANGE="bytes=2000-")
    assert (refused.status_code, refused["Content-Range"]) == (416, "bytes */1024")
    outside = client.get("/media/../settings.py", HTTP_RANGE="bytes=0-9")
    assert outside.status_code == 400  # Django's answer to a path out of the root
    assert client.get("/media/tests/none.mp4", HTTP_RANGE="bytes=0-9").status_code == 404
