"""Signed, expiring HLS paths (nginx ``secure_link``), so a rehearsal stays private.

A signed path is ``/hls/<signature>/<expires>/<public id>/…``: the signature covers the
expiry and the public id, so one URL opens the master playlist and, through relative URIs,
every rendition and segment below it, until it expires. Players need no special setup
(hls.js and Safari's native HLS alike); a CDN can cache by path. Unsigned ``/hls/`` paths
are refused when ``MediaSettings.hls_secret`` is set.
"""

from __future__ import annotations

import base64
import hashlib

from streaming.settings import PUBLIC_ID_RE


def hls_signature(*, public_id: str, expires: int, secret: str) -> str:
    """nginx's ``secure_link_md5 "$expires/$id <secret>"``: base64url MD5, no padding."""
    if not PUBLIC_ID_RE.match(public_id):
        raise ValueError(f"public id {public_id!r} is not path-safe")
    digest = hashlib.md5(f"{expires}/{public_id} {secret}".encode()).digest()  # noqa: S324
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hls_signed_path(*, public_id: str, expires: int, secret: str) -> str:
    """``<signature>/<expires>/<public id>``: what follows ``/hls/`` in a signed URL."""
    signature = hls_signature(public_id=public_id, expires=expires, secret=secret)
    return f"{signature}/{expires}/{public_id}"
