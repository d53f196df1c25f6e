"""The pipeline through the API: moves with reasons, the 409 that names the allowed moves,
links of the wrong kind refused, office-only writes, an incubatee reading its own card."""

from __future__ import annotations

from backend.accounts.models import Organisation
from backend.accounts.roles import Role
from backend.common.models import OutboxEvent
from backend.incubation.models import Incubatee, Residency, ServiceLog, StageMove
from tests.backend.incubation.conftest import api, org
from tests.factories.geo import VillageFactory

Kind = Organisation.Kind


def test_a_farmer_moves_through_the_pipeline_and_each_move_is_recorded(
    office_client, make_user, emit
):
    farmer = make_user(Role.STREAMER, username="farmer1", display_name="李大姐")
    village = VillageFactory(name="端氏村")
    created = api(
        office_client,
        "post",
        "/incubatees",
        {
            "kind": "influencer_farmer",
            "name": "李大姐",
            "user_id": farmer.pk,
            "village_id": village.pk,
            "contact_phone": "13912345678",
        },
    )
    assert created.status_code == 201, created.content
    card = created.json()
    assert (card["stage"], card["township"], card["village"]) == ("applied", "端氏镇", "端氏村")
    assert card["contact_phone_masked"] == "139****5678"
    assert card["allowed"] == ["admitted", "withdrawn"]
    pk = card["id"]

    moved = api(
        office_client, "post", f"/incubatees/{pk}/move", {"to": "admitted", "reason": "面试通过"}
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "admitted"
    admitted = OutboxEvent.objects.get(name="incubatee.admitted")
    assert admitted.payload["incubatee_id"] == pk and admitted.payload["user_id"] == farmer.pk
    assert admitted.payload["reason"] == "面试通过"

    wrong = api(office_client, "post", f"/incubatees/{pk}/move", {"to": "graduated", "reason": "x"})
    assert wrong.status_code == 409
    assert wrong.json()["error"]["code"] == "incubation.move_not_allowed"
    assert wrong.json()["error"]["extra"] == {
        "stage": "admitted",
        "allowed": ["in_incubation", "withdrawn"],
    }

    api(office_client, "post", f"/incubatees/{pk}/move", {"to": "in_incubation", "reason": "开始"})
    # Graduating needs the first live session (a required milestone): none held yet.
    early = api(office_client, "post", f"/incubatees/{pk}/move", {"to": "graduated", "reason": "x"})
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "incubation.milestones_missing"
    assert early.json()["error"]["extra"] == {"missing": ["first-session"]}

    out = api(
        office_client, "post", f"/incubatees/{pk}/move", {"to": "withdrawn", "reason": "外出务工"}
    )
    assert out.json()["allowed"] == []
    assert [(m.from_stage, m.to_stage, m.reason) for m in StageMove.objects.order_by("id")] == [
        ("", "applied", ""),
        ("applied", "admitted", "面试通过"),
        ("admitted", "in_incubation", "开始"),
        ("in_incubation", "withdrawn", "外出务工"),
    ]
    inc = Incubatee.objects.get(pk=pk)
    assert inc.admitted_at and inc.started_at and inc.withdrawn_at and inc.graduated_at is None
    assert not OutboxEvent.objects.filter(name="incubatee.graduated").exists()


def test_links_of_the_wrong_kind_are_refused(office_client, make_user):
    person = make_user(username="p1")
    company = org(Kind.ENTERPRISE, person)
    farm = org(Kind.FAMILY_FARM)
    cases = [
        {"kind": "influencer_farmer", "user_id": person.pk, "organisation_id": company.pk},
        # A company's own staff is its streamer, not an influencer farmer.
        {"kind": "influencer_farmer", "user_id": person.pk},
        {"kind": "influencer_company", "organisation_id": farm.pk},
        {"kind": "resident_enterprise"},
        # A person linked to a company must belong to it.
        {
            "kind": "influencer_company",
            "organisation_id": company.pk,
            "user_id": make_user(username="p2").pk,
        },
    ]
    for body in cases:
        response = api(office_client, "post", "/incubatees", {"name": "x", **body})
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "incubation.link_wrong_kind"
    assert Incubatee.objects.count() == 0
    ok = api(
        office_client,
        "post",
        "/incubatees",
        {
            "kind": "influencer_company",
            "name": "沁水蜂业",
            "organisation_id": company.pk,
            "user_id": person.pk,
        },
    )
    assert ok.status_code == 201
    twice = api(
        office_client,
        "post",
        "/incubatees",
        {"kind": "influencer_company", "name": "again", "organisation_id": company.pk},
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "incubation.already_incubated"
    missing = api(
        office_client,
        "post",
        "/incubatees",
        {"kind": "influencer_company", "name": "x", "organisation_id": 999999},
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["extra"]["fields"][0]["path"] == "body.payload.organisation_id"
    assert Incubatee.objects.count() == 1


def test_a_lease_ending_before_it_starts_is_refused_and_services_are_logged(office_client):
    company = org(Kind.ENTERPRISE)
    pk = api(
        office_client,
        "post",
        "/incubatees",
        {
            "kind": "resident_enterprise",
            "name": "沁水农品",
            "organisation_id": company.pk,
        },
    ).json()["id"]
    bad = api(
        office_client,
        "put",
        f"/incubatees/{pk}/residency",
        {"place": "A-201", "lease_start": "2026-12-01", "lease_end": "2026-11-30"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "incubation.lease_dates"
    assert Residency.objects.count() == 0
    good = api(
        office_client,
        "put",
        f"/incubatees/{pk}/residency",
        {"place": "A-201", "lease_start": "2026-01-01", "lease_end": "2028-12-31"},
    )
    assert good.json() == {"place": "A-201", "lease_start": "2026-01-01", "lease_end": "2028-12-31"}
    logged = api(
        office_client,
        "post",
        f"/incubatees/{pk}/services",
        {"service": "marketing", "on": "2026-11-20", "outcome": "策划年货节直播"},
    )
    assert logged.status_code == 201
    assert (
        api(
            office_client,
            "post",
            f"/incubatees/{pk}/services",
            {"service": "astrology", "on": "2026-11-20", "outcome": "x"},
        ).status_code
        == 422
    )
    card = api(office_client, "get", f"/incubatees/{pk}").json()
    assert card["residency"]["place"] == "A-201"
    assert [(s["service"], s["on"], s["outcome"]) for s in card["services"]] == [
        ("marketing", "2026-11-20", "策划年货节直播")
    ]
    assert ServiceLog.objects.count() == 1


def test_only_the_office_writes_and_an_incubatee_reads_only_its_own_card(
    office_client, make_user, login_as
):
    owner = make_user(Role.MERCHANT, username="boss")
    company = org(Kind.ENTERPRISE, owner)
    pk = api(
        office_client,
        "post",
        "/incubatees",
        {
            "kind": "influencer_company",
            "name": "沁水蜂业",
            "organisation_id": company.pk,
        },
    ).json()["id"]
    other = api(
        office_client,
        "post",
        "/incubatees",
        {
            "kind": "influencer_company",
            "name": "别家",
            "organisation_id": org(Kind.ENTERPRISE).pk,
        },
    ).json()["id"]
    boss = login_as(owner)
    assert api(boss, "get", f"/incubatees/{pk}").status_code == 200
    assert [c["id"] for c in api(boss, "get", "/mine").json()] == [pk]
    assert api(boss, "get", f"/incubatees/{other}").status_code == 404
    move = {"to": "admitted", "reason": "自己批准"}
    assert api(boss, "post", f"/incubatees/{pk}/move", move).status_code == 403
    for path in ("/board", "/goals", "/export.xlsx", "/clusters", "/team"):
        assert api(boss, "get", path).status_code == 403, path
    assert (
        api(
            boss,
            "post",
            "/incubatees",
            {"kind": "influencer_company", "name": "x", "organisation_id": company.pk},
        ).status_code
        == 403
    )
    assert api(login_as(make_user(Role.BUYER)), "get", f"/incubatees/{pk}").status_code == 404
    assert api(office_client.__class__(), "get", f"/incubatees/{pk}").status_code == 401
    assert Incubatee.objects.get(pk=pk).stage == "applied"
