from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never `playwright install`), one per
    test module: each test gets its own context and page (see `page`).

    Playwright's sync API keeps an event loop in this thread, which trips Django's
    async-safety check on the test's own ORM calls; the loop is Playwright's, so allow it
    while the browser lives. One per module, not per run: a parallel worker goes on to
    other files after these, and code there that calls async_to_sync (the channel layer)
    must not find Playwright's loop still running in the thread."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _page(browser, base_url: str):
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def page(browser, daphne_server: str):
    yield from _page(browser, daphne_server)


@pytest.fixture
def front_page(browser, front_server: str):
    """A page on the production topology (nginx → gunicorn, daphne for /ws/)."""
    yield from _page(browser, front_server)
