"""`manage.py live_restream`: the restream supervisor (backend/live/restream_supervisor.py)
under a small watchdog that starts it again whenever it dies (`make run` runs this; so can
systemd or a container with its own restart policy).

The supervisor is a forked child of the watchdog: Django is set up once, so a restart takes
a second, not the several seconds a fresh interpreter needs on a busy machine. The child
dies with the watchdog (PR_SET_PDEATHSIG), and its ffmpegs with it."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connections

from backend.live.restream_supervisor import Supervisor
from streaming.restream import die_with_parent

log = logging.getLogger(__name__)

RESTART_DELAY_S = 1.0


def _on_term(stop: list[bool]) -> None:
    def handler(signum: int, frame: Any) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _supervise(owner: str) -> None:
    """The forked child: its own signal handlers and database connections."""
    die_with_parent()
    stop: list[bool] = []
    _on_term(stop)
    Supervisor(owner=owner).run(stop=stop)


class Command(BaseCommand):
    help = "Run the restream supervisor (it owns every ffmpeg pushing to other platforms)."

    def handle(self, *args: Any, **options: Any) -> None:
        stop: list[bool] = []
        _on_term(stop)
        # One owner name for every child: a restarted one takes the lease back at once.
        owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
        forking = multiprocessing.get_context("fork")
        while not stop:
            connections.close_all()  # a child opens its own
            child = forking.Process(target=_supervise, args=(owner,), name="restream")
            child.start()
            self.stdout.write(f"restream supervisor started (pid {child.pid})")
            self.stdout.flush()
            while child.is_alive():
                if stop:
                    child.terminate()
                    child.join(timeout=30)
                    return
                time.sleep(0.2)
            log.warning("restream supervisor exited with %s; starting it again", child.exitcode)
            time.sleep(RESTART_DELAY_S)
