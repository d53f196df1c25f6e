"""nginx-rtmp's control API: drop the encoder publishing a session.

With ``notify_relay_redirect`` the ingest stream is renamed to the hex MD5 of the redirect
URL (nginx-rtmp's ``ngx_rtmp_notify_set_name``), so the encoder is found by its public id,
never by its key.
"""

from __future__ import annotations

import hashlib

import requests

from streaming.errors import MediaError
from streaming.settings import MediaSettings


def ingest_stream_name(*, settings: MediaSettings, public_id: str) -> str:
    """The name the ingest application gives a stream it relays to ``public_id``."""
    location = settings.show_url(public_id=public_id)
    return hashlib.md5(location.encode()).hexdigest()  # noqa: S324 - nginx's naming, not security


def publisher_drop(*, settings: MediaSettings, public_id: str, timeout_s: float = 3.0) -> int:
    """Disconnect the encoder publishing to ``public_id``; returns how many were dropped."""
    url = f"http://{settings.internal_host}:{settings.http_port}/control/drop/publisher"
    params = {
        "app": settings.ingest_app,
        "name": ingest_stream_name(settings=settings, public_id=public_id),
    }
    try:
        response = requests.get(url, params=params, timeout=timeout_s)
    except requests.RequestException as exc:
        raise MediaError(f"control API unreachable: {exc}") from exc
    if response.status_code == 404:  # nginx-rtmp: no such stream
        return 0
    if response.status_code != 200:
        raise MediaError(f"control API answered {response.status_code}")
    return int(response.text.strip() or 0)
