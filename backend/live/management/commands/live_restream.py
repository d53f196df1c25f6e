"""`manage.py live_restream`: the restream supervisor (backend/live/restream_supervisor.py)
under a small watchdog that starts it again whenever it dies (`make run` runs this; so can
systemd or a container with its own restart policy). `--child` is the supervisor itself."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.live.restream_supervisor import Supervisor
from streaming.restream import die_with_parent

log = logging.getLogger(__name__)

OWNER_ENV = "LIVE_RESTREAM_OWNER"
RESTART_DELAY_S = 1.0


def _on_term(stop: list[bool]) -> None:
    def handler(signum: int, frame: Any) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


class Command(BaseCommand):
    help = "Run the restream supervisor (it owns every ffmpeg pushing to other platforms)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", action="store_true", help="the supervisor itself")

    def handle(self, *args: Any, child: bool = False, **options: Any) -> None:
        stop: list[bool] = []
        _on_term(stop)
        if child:
            Supervisor(owner=os.environ[OWNER_ENV]).run(stop=stop)
            return
        self._watch(stop)

    def _watch(self, stop: list[bool]) -> None:
        """Start the supervisor; start it again when it dies, until told to stop."""
        env = {**os.environ, OWNER_ENV: f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"}
        cmd = [sys.executable, str(Path(sys.argv[0]).resolve()), "live_restream", "--child"]
        while not stop:
            proc = subprocess.Popen(cmd, env=env, preexec_fn=die_with_parent)
            self.stdout.write(f"restream supervisor started (pid {proc.pid})")
            self.stdout.flush()
            while proc.poll() is None:
                if stop:
                    proc.terminate()
                    proc.wait(timeout=30)
                    return
                time.sleep(0.2)
            log.warning("restream supervisor exited with %s; starting it again", proc.returncode)
            time.sleep(RESTART_DELAY_S)
