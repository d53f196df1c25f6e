"""JD (JOS) signature: MD5 of secret + sorted `k+v` over the system parameters, including the
exact `360buy_param_json` string that is sent, + secret; uppercase hex."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def sign_jd(params: Mapping[str, str], *, secret: str) -> str:
    concat = "".join(
        f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key]
    )
    return hashlib.md5(f"{secret}{concat}{secret}".encode()).hexdigest().upper()  # noqa: S324 - MD5 is the platform-mandated signature
