"""The flash sale's per-account and per-address limits are sliding windows on real Redis:
never more than the limit in any window, whatever the clock's boundaries; every attempt
counts, refused ones too."""

from __future__ import annotations

import time

from backend.promotions import gate


def test_attempts_are_limited_in_any_window_per_key() -> None:
    limits = [("user", "u-rate-1", 2), ("ip", "198.51.100.7", 3)]
    assert [gate.rate_allow(limits=limits, window_s=1) for _ in range(3)] == [True, True, False]
    other = [("user", "u-rate-2", 2), ("ip", "198.51.100.7", 3)]
    assert gate.rate_allow(limits=other, window_s=1) is False  # the address has had 4
    time.sleep(1.05)
    assert gate.rate_allow(limits=other, window_s=1) is True
