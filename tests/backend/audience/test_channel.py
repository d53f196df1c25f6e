"""The county's channel (live now, coming up, replays; by streamer) and a session as its
viewers see it, with the product bag (小黄车): every product of the line-up a viewer may
see, in line-up order, with its live price and state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.roles import Role
from backend.live.models import LineupItem
from tests.backend.audience.conftest import call
from tests.factories.catalog import ProductFactory, SkuFactory
from tests.factories.records import session_held

pytestmark = pytest.mark.django_db


def test_the_channel_lists_live_coming_and_replays_by_streamer(
    client, make_user, streamer, coming, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    on_air = session_held(streamer=streamer, started=now - timedelta(minutes=5), state="live")
    replay = session_held(streamer=streamer, started=now - timedelta(days=1), title="回放")
    session_held(streamer=streamer, started=now, state="rehearsal")  # private
    session_held(streamer=streamer, started=now + timedelta(hours=1), state="cancelled")
    other = make_user(Role.STREAMER, username="li", display_name="李大哥")
    theirs = session_held(streamer=other, started=now + timedelta(days=2), state="scheduled")

    with django_assert_max_num_queries(5):
        body = call(client, "get", "/channel").json()
    ids = {k: [s["id"] for s in body[k]] for k in ("live", "coming", "replays")}
    assert ids == {"live": [on_air.pk], "coming": [coming.pk, theirs.pk], "replays": [replay.pk]}
    assert sorted((s["name"], s["followers"]) for s in body["streamers"]) == [
        ("李大哥", 0), ("赵小明", 0),
    ]  # fmt: skip
    mine = call(client, "get", f"/channel?streamer_id={other.pk}").json()
    assert [s["id"] for s in mine["coming"]] == [theirs.pk] and mine["live"] == []


def test_the_bag_lists_the_line_up_a_viewer_may_see(client, coming) -> None:
    honey = SkuFactory(product=ProductFactory(title="刺槐蜂蜜"), spec_text="500g")
    millet = SkuFactory(product=ProductFactory(title="黄小米"), spec_text="2.5kg")
    secret = SkuFactory(product=ProductFactory(title="还没上架"))
    LineupItem.objects.create(session=coming, sku=millet, position=2, live_price="39.90",
                              state="sold_out")  # fmt: skip
    first = LineupItem.objects.create(
        session=coming, sku=honey, position=1, live_price="59.00", state="explaining"
    )
    LineupItem.objects.create(session=coming, sku=secret, position=3, live_price="9.90")

    bag = call(client, "get", f"/sessions/{coming.pk}/bag").json()
    assert [(i["title"], i["spec"], i["live_price"], i["state"]) for i in bag] == [
        ("刺槐蜂蜜", "500g", "59.00", "explaining"),
        ("黄小米", "2.5kg", "39.90", "sold_out"),
    ]
    assert bag[0]["item_id"] == first.pk and bag[0]["product_id"] == honey.product_id
    watch = call(client, "get", f"/sessions/{coming.pk}").json()
    assert watch["bag"] == bag
    assert (watch["subscribed"], watch["following"], watch["subscribers"]) == (False, False, 0)
