"""`manage.py demo_load` (make run) holds a festival with a livestream contest over the demo
sessions, however often it runs; a paid order in the farmer's on-air session moves its
board."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.audience.demo import LIVE_TITLE
from backend.campaigns.demo import CONTEST, FESTIVAL, demo_campaigns_load
from backend.campaigns.models import Campaign, CampaignSession
from backend.campaigns.selectors import board_payload
from backend.live.models import LiveSession
from backend.promotions.models import Coupon
from tests.factories.records import order_fact

pytestmark = pytest.mark.django_db


def test_the_demo_festival_and_its_contest() -> None:
    call_command("demo_load")
    demo_campaigns_load()  # again: nothing doubles
    contest = Campaign.objects.get(kind="contest")
    assert (contest.title, contest.parent.title if contest.parent else None) == (CONTEST, FESTIVAL)
    assert Campaign.objects.count() == 2
    assert list(contest.judges.values_list("judge__username", flat=True)) == ["judge"]
    assert CampaignSession.objects.filter(campaign=contest).count() == 3
    assert Coupon.objects.get(name="文化节 直播大赛 满50减5").sessions.count() == 3
    board = board_payload(campaign=contest)
    assert [(r["name"], r["gmv"], r["live"]) for r in board["rows"]] == [
        ("网红农民 小赵", "0.00", False),
        ("网红农民 王大姐", "0.00", True),
    ]
    on_air = LiveSession.objects.get(title=LIVE_TITLE)
    shop = Organisation.objects.get(name="沁水县示例蜂业专业合作社")
    order_fact(seller=shop, paid="59.00", source_ref=str(on_air.pk), paid_at=timezone.now())
    board = board_payload(campaign=contest)
    assert [(r["rank"], r["name"], r["gmv"]) for r in board["rows"]] == [
        (1, "网红农民 王大姐", "59.00"),
        (2, "网红农民 小赵", "0.00"),
    ]
