from __future__ import annotations

import socket

from celery import shared_task


@shared_task(name="backend.common.tasks.ping")
def ping(payload: str) -> dict[str, str]:
    """Liveness probe of the worker fleet: answers with the payload and the worker's host."""
    return {"payload": payload, "host": socket.gethostname()}
