"""Promotions and the audience in the admin: shown, never written there, and a lottery's
secret seed never on the page before (or after) the draw."""

from __future__ import annotations

import pytest

from backend.accounts.roles import Role
from backend.promotions.services_lottery import lottery_create
from tests.backend.promotions.test_lottery import _terms

pytestmark = pytest.mark.django_db

PAGES = ["promotions/coupon", "promotions/coupongrant", "promotions/flashsale",
         "promotions/lottery", "promotions/lotteryprize", "audience/follow",
         "audience/reminder", "audience/notice"]  # fmt: skip


def test_the_admin_shows_promotions_read_only_and_hides_the_seed(
    make_user, login_as, streamer, lineup, make_coupon
) -> None:
    coupon = make_coupon(sessions=[lineup])
    lottery = lottery_create(by=streamer, session=lineup, terms=_terms(prize_coupon=coupon))
    admin = login_as(make_user(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True))
    answers = {page: admin.get(f"/admin/{page}/") for page in PAGES}
    assert {page: a.status_code for page, a in answers.items()} == dict.fromkeys(PAGES, 200)
    assert [
        page for page, a in answers.items() if f"/admin/{page}/add/".encode() in a.content
    ] == []
    detail = admin.get(f"/admin/promotions/lottery/{lottery.pk}/change/")
    assert detail.status_code == 200
    assert lottery.seed_hash.encode() in detail.content
    assert lottery.seed.encode() not in detail.content
    assert (
        admin.post(f"/admin/promotions/coupon/{coupon.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    coupon.refresh_from_db()
