"""Fixtures of the media-plane tests; the harness itself is in ``plane.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.streaming.live_session import LiveRun, live_run_observe
from tests.streaming.plane import Plane, running_plane, stream_key


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist (``--dist loadgroup``) every test on the session's plane runs in one worker,
    in the order written: one nginx and one 14-second push, not one per worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if "plane" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("media-plane"))


@pytest.fixture(scope="session")
def plane() -> Iterator[Plane]:
    """One plane for the session; each scenario uses its own key and public id."""
    keys = {stream_key(): "pub-main", stream_key(): "pub-restream"}
    with running_plane(keys=keys) as running:
        yield running


@pytest.fixture(scope="session")
def live_run(plane: Plane) -> LiveRun:
    """The main scenario, pushed once and observed, then read by many tests."""
    return live_run_observe(plane)


@pytest.fixture(autouse=True)
def _clean_cache_keys() -> Iterator[None]:
    """The project-wide fixture of this name clears Django's Redis cache; the media plane
    has neither, and its tests must run without Django configured (``-p no:django``)."""
    yield
