"""The real worker's log lines go through the same redaction as the web's: Celery replaces
the root logger's handlers when it starts, and the filter must survive that."""

from __future__ import annotations

import time

import pytest

from backend.common.tasks import ping

pytestmark = pytest.mark.processes


def test_a_worker_log_line_carries_no_phone_number_nor_secret(celery_worker) -> None:
    payload = "buyer 13912345678 app_secret=hunter2-worker-log"
    result = ping.delay(payload)
    assert result.get(timeout=20)["payload"] == payload
    # Celery logs the task's return value when it succeeds; wait for that line.
    deadline = time.monotonic() + 10
    line = ""
    while time.monotonic() < deadline and not line:
        text = celery_worker.log_path.read_text(errors="replace")
        done = [row for row in text.splitlines() if result.id in row and "succeeded" in row]
        line = done[0] if done else ""
        time.sleep(0.1)
    assert line, "the worker logged no success line for the task"
    assert "buyer 139****5678 app_secret=********" in line
    assert "13912345678" not in text and "hunter2" not in text
