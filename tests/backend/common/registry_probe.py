"""Run in a fresh process with EXTRA_APPS=tests.registry_app on a throw-away SQLite
database: start the platform, and report as JSON where the test app's declarations
show up. tests/backend/common/test_registry.py asserts on the report."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
django.setup()

from channels.testing import WebsocketCommunicator  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from backend.accounts.models import User  # noqa: E402
from backend.common import registry  # noqa: E402
from backend.config.asgi import application  # noqa: E402
from worker.celery import app as celery_app  # noqa: E402


async def _socket() -> dict[str, object]:
    communicator = WebsocketCommunicator(
        application, "/ws/sample/", headers=[(b"origin", b"http://127.0.0.1")]
    )
    connected, _ = await communicator.connect()
    frame = await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()
    return {"connected": connected, "frame": frame}


def main() -> None:
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    call_command("migrate", verbosity=0, interactive=False)
    depot = User.objects.create_user(username="depot1", password="depot-pass-2026")
    depot.groups.add(Group.objects.get(name="depot_staff"))
    client = Client()
    client.force_login(depot)
    group_perms = {
        name: sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.all()
        )
        for name in ("depot_staff", "merchant")
    }
    refused = client.get("/api/v1/sample/refuse")
    report = {
        "error_catalogue": registry.error_catalogue().get("sample.refused"),
        "hello": client.get("/api/v1/sample/hello").json(),
        "refused": [refused.status_code, refused.json()],
        "page_status": client.get("/sample/depot/").status_code,
        "nav": client.get("/api/v1/nav").json(),
        "group_perms": group_perms,
        "socket": asyncio.run(_socket()),
        "beat": {k: str(v["schedule"]) for k, v in celery_app.conf.beat_schedule.items()},
        "task_registered": "tests.registry_app.tasks.sample_tick" in celery_app.tasks,
        "demo_order": [loader.app for loader in registry.demo_loaders()],
    }
    sample = next(loader for loader in registry.demo_loaders() if loader.app == "registry_app")
    written: list[str] = []
    sample.load(written.append)
    report["demo_written"] = written
    json.dump(report, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
