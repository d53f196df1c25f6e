"""TOP signatures: md5 (secret at both ends), hmac (HMAC-MD5) and hmac-sha256."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGN_METHODS = ("md5", "hmac", "hmac-sha256")


def top_sign_string(params: Mapping[str, str]) -> str:
    """Every parameter except `sign` and empty values, sorted by key, as `k1v1k2v2…`."""
    return "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key])


def sign_top(params: Mapping[str, str], *, secret: str, sign_method: str) -> str:
    concat = top_sign_string(params)
    if sign_method == "md5":
        digest = hashlib.md5((secret + concat + secret).encode("utf-8")).hexdigest()  # noqa: S324
    elif sign_method == "hmac":
        digest = hmac.new(secret.encode("utf-8"), concat.encode("utf-8"), hashlib.md5).hexdigest()
    elif sign_method == "hmac-sha256":
        digest = hmac.new(
            secret.encode("utf-8"), concat.encode("utf-8"), hashlib.sha256
        ).hexdigest()
    else:
        raise ValueError(f"unknown sign_method {sign_method!r}")
    return digest.upper()
