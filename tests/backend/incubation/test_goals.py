"""The plan's goals beside progress counted from a known set of records (exact), by
township; the evaluators' workbook with its evidence rows."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from backend.accounts.models import Organisation, User
from backend.accounts.roles import Role
from backend.geo.models import Township, Village
from backend.incubation import services
from backend.incubation.models import Cluster, ClusterMember, Residency, ServiceLog, TeamMember
from backend.incubation.selectors import goals_progress
from backend.stores.models import PlatformApp, Store
from tests.backend.incubation.conftest import api, at, org
from tests.factories.geo import VillageFactory
from tests.factories.records import order_fact, session_held

Kind = Organisation.Kind
TODAY = date(2026, 11, 30)


def _incubatee(office, body, *, admit=True):
    """Through the services (the API's own tests are in test_pipeline): faster."""
    links = {
        "organisation": Organisation.objects.filter(pk=body.get("organisation_id")).first(),
        "user": User.objects.filter(pk=body.get("user_id")).first(),
        "village": Village.objects.filter(pk=body.get("village_id")).first(),
    }
    incubatee = services.incubatee_apply(
        kind=body["kind"],
        name=f"n{body}",
        mentor=None,
        cohort=None,
        contact_phone="",
        by=office,
        **links,
    )
    if admit:
        services.incubatee_move(incubatee_id=incubatee.pk, to="admitted", reason="r", by=office)
    return incubatee.pk


def _store(organisation):
    app = PlatformApp.objects.get_or_create(
        platform="taobao", name="t", app_key="k", app_secret="s"
    )[0]
    return Store.objects.create(
        app=app,
        organisation=organisation,
        shop_id=f"s{organisation.pk}",
        shop_name="馆",
        access_token="a",
        token_expires_at=at(1),
    )


def _known_records(make_user, office):
    duanshi = VillageFactory(name="端氏村")
    other_town = Township.objects.exclude(pk=duanshi.township_id).order_by("code").first()
    assert other_town is not None
    far = VillageFactory(township=other_town, code=f"{other_town.code}201", name="远村")
    # Companies: two admitted, one with a session held; an applied one with a session.
    held, idle, applied = (org(Kind.ENTERPRISE) for _ in range(3))
    session_held(streamer=make_user(username="a1"), organisation=held, started=at(2))
    session_held(streamer=make_user(username="a2"), organisation=applied, started=at(2))
    _incubatee(
        office, {"kind": "influencer_company", "organisation_id": held.pk, "village_id": duanshi.pk}
    )
    _incubatee(office, {"kind": "influencer_company", "organisation_id": idle.pk})
    _incubatee(office, {"kind": "influencer_company", "organisation_id": applied.pk}, admit=False)
    # Farmers: three admitted with a session (two in 端氏镇, one far), one only scheduled.
    for n, village in enumerate((duanshi, duanshi, far, far)):
        farmer = make_user(Role.STREAMER, username=f"f{n}")
        state = "scheduled" if n == 3 else "ended"
        session_held(streamer=farmer, started=at(5 + n), state=state)
        _incubatee(
            office, {"kind": "influencer_farmer", "user_id": farmer.pk, "village_id": village.pk}
        )
    # Residents: leased today and served (counts); lease over; no service logged.
    residents = [org(Kind.ENTERPRISE) for _ in range(3)]
    leases = [
        (date(2026, 1, 1), date(2027, 12, 31)),
        (date(2025, 1, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), date(2027, 12, 31)),
    ]
    for n, (company, (start, end)) in enumerate(zip(residents, leases, strict=True)):
        pk = _incubatee(office, {"kind": "resident_enterprise", "organisation_id": company.pk})
        Residency.objects.create(incubatee_id=pk, place=f"A-{n}", lease_start=start, lease_end=end)
        if n < 2:
            ServiceLog.objects.create(
                incubatee_id=pk,
                service="technical",
                on=date(2026, 11, 2),
                staff=office,
                outcome="开通网店",
            )
    # Village stores: one with a store bound and a paid store order; one without a store.
    bound, unbound = org(Kind.STATION_HOST), org(Kind.COOPERATIVE)
    _store(bound)
    order_fact(seller=bound, paid="66.60", source_kind="store", paid_at=at(20))
    _incubatee(office, {"kind": "village_store", "organisation_id": bound.pk, "village_id": far.pk})
    _incubatee(office, {"kind": "village_store", "organisation_id": unbound.pk})
    # Clusters: one with a member, one empty.
    park = Cluster.objects.create(
        name="沁水电商产业园",
        kind="incubation_park",
        township=duanshi.township,
        opened_on=date(2022, 5, 1),
    )
    Cluster.objects.create(name="空仓", kind="warehouse", opened_on=date(2022, 5, 1))
    ClusterMember.objects.create(cluster=park, organisation=held, joined_on=date(2022, 6, 1))
    # The team: nine people, one left in October; one joins in December.
    for n in range(9):
        TeamMember.objects.create(
            name=f"t{n}",
            role="运营",
            start=date(2022, 1, 1),
            phone=f"1390000{n:04d}",
            end=date(2026, 10, 31) if n == 0 else None,
        )
    TeamMember.objects.create(name="new", role="客服", start=date(2026, 12, 1))
    return other_town


def test_goal_progress_on_a_known_data_set(make_user, office):
    other_town = _known_records(make_user, office)
    goals = {g.key: g for g in goals_progress(today=TODAY)}
    assert {k: (g.actual, g.target, g.met) for k, g in goals.items()} == {
        "influencer-companies": (1, 5, False),
        "influencer-farmers": (3, 20, False),
        "service-centre-enterprises": (1, 20, False),
        "ecommerce-parks": (1, 3, False),
        "operations-team": (8, 8, True),
        "village-stores": (1, None, None),
    }
    assert goals["influencer-companies"].by_township == {"端氏镇": 1}
    assert goals["influencer-farmers"].by_township == {"端氏镇": 2, other_town.name: 1}
    assert goals["village-stores"].by_township == {other_town.name: 1}
    assert goals["ecommerce-parks"].by_township == {"端氏镇": 1}
    assert goals["operations-team"].monthly[-3:] == [("2026-09", 9), ("2026-10", 9), ("2026-11", 8)]


def test_the_workbook_holds_the_goals_and_the_evidence(
    office_client, make_user, office, django_assert_max_num_queries
):
    _known_records(make_user, office)
    # The board and the goals cost the same whatever the number of incubatees.
    with django_assert_max_num_queries(12):
        board = api(office_client, "get", "/board").json()
    assert len(board) == 12
    assert [(b["kind"], b["sessions"], b["gmv"]) for b in board if b["orders"]] == [
        ("village_store", 0, "66.60")
    ]
    with django_assert_max_num_queries(16):
        assert len(api(office_client, "get", "/goals").json()) == 6
    clusters = api(office_client, "get", "/clusters").json()
    assert [(c["name"], c["kind"], c["township"], len(c["members"])) for c in clusters] == [
        ("沁水电商产业园", "incubation_park", "端氏镇", 1),
        ("空仓", "warehouse", "", 0),
    ]
    team = api(office_client, "get", "/team").json()
    assert [(m["name"], m["phone_masked"], m["end"]) for m in team][:2] == [
        ("t0", "139****0000", "2026-10-31"),
        ("t1", "139****0001", None),
    ]
    assert "13900000000" not in str(team)
    response = api(office_client, "get", "/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="incubation_')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "规划目标",
        "网红企业",
        "网红农民",
        "入驻企业",
        "村级网店",
        "集聚园区",
        "运营团队",
    ]
    goals = [row for row in book["规划目标"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4]) for r in goals][:2] == [("网红企业", 1), ("网红农民", 3)]
    farmers = list(book["网红农民"].iter_rows(min_row=2, values_only=True))
    # Each farmer's row, then one evidence row per session held (date, title, GMV).
    assert [(r[3], r[6]) for r in farmers if r[0]] == [("已入孵", 1)] * 3 + [("已入孵", 0)]
    evidence = [r[11:15] for r in farmers if not r[0]]
    assert evidence == [
        ("直播", "2026-11-05", "沁水小米直播", 0),
        ("直播", "2026-11-06", "沁水小米直播", 0),
        ("直播", "2026-11-07", "沁水小米直播", 0),
    ]
    stores = list(book["村级网店"].iter_rows(min_row=2, values_only=True))
    assert stores[0][8] == 66.6
    assert (stores[1][11], stores[1][12], stores[1][14]) == ("网店订单", "2026-11-20", 66.6)
    residents = list(book["入驻企业"].iter_rows(min_row=2, values_only=True))
    assert [r[11:14] for r in residents if not r[0]] == [
        ("一站式服务", "2026-11-02", "技术支持：开通网店（王老师）"),
        ("一站式服务", "2026-11-02", "技术支持：开通网店（王老师）"),
    ]
    clusters = list(book["集聚园区"].iter_rows(min_row=2, values_only=True))
    # The park, its one member (a factory-named enterprise) on the next row, the empty warehouse.
    assert [r[0] for r in clusters] == ["沁水电商产业园", None, "空仓"]
    assert clusters[1][4].startswith("示例合作社") and clusters[1][5] == "2022-06-01"
    team = list(book["运营团队"].iter_rows(min_row=2, values_only=True))
    assert len(team) == 10 and team[0][2] == "139****0000"
