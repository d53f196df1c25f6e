"""`make run`'s demo: incubatees of every kind with sessions and orders behind them, and the
plan's goals computed from those records (loaded twice: idempotent)."""

from __future__ import annotations

from collections import Counter

import pytest

from backend.accounts.demo import demo_accounts_load
from backend.geo.demo import geo_demo_load
from backend.incubation.demo import demo_incubation_load
from backend.incubation.figures import figures_for
from backend.incubation.models import Incubatee, MilestoneMet
from backend.incubation.selectors import goals_progress

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_kind_and_the_goals_from_its_records() -> None:
    # Only what incubation's demo reads (the whole `demo_load` runs in live's demo test).
    demo_accounts_load()
    geo_demo_load()
    assert demo_incubation_load().startswith("Incubation demo: 10 incubatees")
    assert demo_incubation_load() == "Incubation demo: already loaded (/office/incubation/)."
    incubatees = list(Incubatee.objects.order_by("id"))
    assert Counter(i.kind for i in incubatees) == {
        "influencer_company": 3,
        "influencer_farmer": 4,
        "resident_enterprise": 2,
        "village_store": 1,
    }
    figures = figures_for(incubatees=incubatees)
    with_records = {i.kind for i in incubatees if figures[i.pk].orders}
    assert with_records == {
        "influencer_company",
        "influencer_farmer",
        "resident_enterprise",
        "village_store",
    }
    coop = figures[incubatees[0].pk]
    # Eight sessions of three orders (1280 + 699 + 358); the second session's first order
    # was refunded in full.
    assert (len(coop.sessions), len(coop.orders), str(coop.gmv)) == (8, 24, "17416.00")
    assert {g.key: g.actual for g in goals_progress()} == {
        "influencer-companies": 2,
        "influencer-farmers": 3,
        "service-centre-enterprises": 2,
        "ecommerce-parks": 2,
        "operations-team": 8,
        "village-stores": 1,
    }
    # The first session is a milestone of companies and farmers: the five admitted with one.
    assert MilestoneMet.objects.filter(rule__key="first-session").count() == 5
