"""Pinduoduo signature: MD5 over secret + sorted `k+v` (empty values skipped) + secret."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def pdd_sign_string(params: Mapping[str, str], *, secret: str) -> str:
    concat = "".join(
        f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key]
    )
    return secret + concat + secret


def sign_pdd(params: Mapping[str, str], *, secret: str) -> str:
    return hashlib.md5(pdd_sign_string(params, secret=secret).encode("utf-8")).hexdigest().upper()  # noqa: S324 - platform-mandated
