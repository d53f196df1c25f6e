"""Uploads served by the app when nginx does not (make run, tests: SERVE_STATIC), with
byte ranges: a browser seeks in a video (a replay's chapter) only when the server answers
`Range` requests, as nginx does in production. Django's own `serve` does not."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.views.static import serve

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def serve_media(
    request: HttpRequest, path: str, document_root: str
) -> HttpResponse | StreamingHttpResponse:
    match = _RANGE.match(request.headers.get("Range", ""))
    if match is None:
        whole = serve(request, path, document_root=document_root)
        whole["Accept-Ranges"] = "bytes"
        return whole
    file = Path(safe_join(document_root, path))  # outside the root: SuspiciousFileOperation, 400
    if not file.is_file():
        raise Http404(path)
    size = file.stat().st_size
    first, last = match.groups()
    start = int(first) if first else max(0, size - int(last or 0))
    end = min(int(last), size - 1) if first and last else size - 1
    if start >= size or start > end:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    handle = file.open("rb")
    handle.seek(start)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = StreamingHttpResponse(
        _part(handle, end - start + 1), status=206, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def _part(handle: BinaryIO, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The requested bytes in chunks, closing the file after."""
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
