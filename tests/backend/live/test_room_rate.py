"""The comment rate limit is a sliding window on real Redis: never more than the limit in
any window, whatever the clock's second boundaries."""

from __future__ import annotations

import time

from backend.live import room_state


def test_the_limit_holds_in_any_window_and_frees_as_it_slides() -> None:
    allowed = [room_state.rate_allow(990001, 7, limit=3, window_s=1) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert room_state.rate_allow(990001, 8, limit=3, window_s=1) is True  # per user
    time.sleep(1.05)
    assert [room_state.rate_allow(990001, 7, limit=3, window_s=1) for _ in range(4)] == [
        True, True, True, False,
    ]  # fmt: skip
