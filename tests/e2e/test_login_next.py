"""After login the page goes on to `next` only when it is a path of this site: never to
another host, however the address is dressed up."""

from __future__ import annotations

import re

import pytest

from backend.accounts.roles import Role
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Raw query strings, as an attacker would put them in a link.
OFF_SITE = [
    "/\\evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
]


def _login_with_next(page, raw_next: str) -> None:
    user = UserFactory(roles=[Role.INSPECTOR])  # a role whose home is its account page
    # Any request to the other host would be answered here, so a redirect is seen, not lost.
    page.route(re.compile(r"^\w+://evil\.example"), lambda route: route.fulfill(body="EVIL"))
    page.goto(f"/login/?next={raw_next}")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.click("#password-submit")


@pytest.mark.parametrize("raw_next", OFF_SITE)
def test_next_off_site_is_refused_and_the_user_lands_at_home(page, raw_next: str) -> None:
    _login_with_next(page, raw_next)
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/account/$"))
    assert "EVIL" not in page.content()


def test_next_on_this_site_is_followed(page) -> None:
    _login_with_next(page, "%2Fshop%2F%3Fq%3D%E8%9C%82%E8%9C%9C%23top")
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/shop/\?q=.*#top$"))
