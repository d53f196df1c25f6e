from __future__ import annotations

import pytest

from backend.accounts.models import Membership, Organisation
from backend.accounts.roles import Role
from backend.common import registry
from tests.factories.accounts import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_ORG = {"name": "沁水县示例家庭农场", "kind": "family_farm"}
CREATORS = {Role.PLATFORM_ADMIN, Role.OFFICE_STAFF}


def test_every_role_is_a_group_with_its_permissions() -> None:
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    declared = registry.role_permissions()
    for role, perms in declared.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == perms
    # What the apps grant, merged: exactly the table that was central before the registry.
    assert declared[Role.MERCHANT] == {
        "accounts.view_organisation",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.change_imagespec",
        "orders.change_order",
        "stores.add_store",
        "stores.change_store",
    }
    assert declared[Role.INSPECTOR] == {
        "accounts.view_organisation",
        "accounts.view_all_organisations",
        "catalog.view_all_products",
        "catalog.recall_product",
    }
    assert declared[Role.PLATFORM_ADMIN] == declared[Role.OFFICE_STAFF] | {"accounts.change_user"}
    # 17, the brand permission, live's 5 (view_all_sessions, verify_streamer, and the banned
    # words' view/add/delete), stores' 5, incubation's 2 (manage_incubation, view_incubatee).
    assert len(declared[Role.OFFICE_STAFF]) == 30
    assert declared[Role.STREAMER] == {"accounts.view_organisation", "live.add_livesession"}
    assert "catalog.use_county_brand" in declared[Role.OFFICE_STAFF]
    assert declared["brand_licensee"] == {"catalog.use_county_brand"}
    assert declared[Role.JUDGE] == declared[Role.BUYER] == set()


@pytest.mark.parametrize("role", sorted(set(Role) - CREATORS))
def test_creating_an_organisation_is_403_for_other_roles(role, make_user, login_as) -> None:
    client = login_as(make_user(role))
    response = client.post("/api/v1/organisations", NEW_ORG, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "auth.forbidden"
    assert not Organisation.objects.filter(name=NEW_ORG["name"]).exists()


@pytest.mark.parametrize("role", sorted(CREATORS))
def test_office_and_admin_create_organisations(role, make_user, login_as) -> None:
    client = login_as(make_user(role))
    response = client.post("/api/v1/organisations", NEW_ORG, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["name"] == NEW_ORG["name"]
    assert Organisation.objects.filter(name=NEW_ORG["name"]).count() == 1


def test_organisation_is_hidden_from_non_members(make_user, login_as) -> None:
    org = OrganisationFactory()
    outsider = login_as(make_user(Role.MERCHANT))
    assert outsider.get(f"/api/v1/organisations/{org.pk}").status_code == 404
    member = make_user(Role.MERCHANT)
    MembershipFactory(user=member, organisation=org, role=Membership.Role.STAFF)
    assert login_as(member).get(f"/api/v1/organisations/{org.pk}").json()["id"] == org.pk
    staff = login_as(make_user(Role.OFFICE_STAFF))
    assert staff.get(f"/api/v1/organisations/{org.pk}").status_code == 200


def test_list_shows_only_own_organisations_with_total(make_user, login_as) -> None:
    mine, _other = OrganisationFactory(), OrganisationFactory()
    merchant = make_user(Role.MERCHANT)
    MembershipFactory(user=merchant, organisation=mine)
    body = login_as(merchant).get("/api/v1/organisations").json()
    assert body["total"] == 1
    assert [o["id"] for o in body["items"]] == [mine.pk]
    staff_body = login_as(make_user(Role.OFFICE_STAFF)).get("/api/v1/organisations?limit=1").json()
    assert (staff_body["total"], len(staff_body["items"]), staff_body["limit"]) == (2, 1, 1)


def test_list_query_count_is_flat(make_user, login_as, django_assert_max_num_queries) -> None:
    client = login_as(make_user(Role.OFFICE_STAFF))
    for _ in range(15):
        OrganisationFactory()
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/organisations").json()["total"] == 15


def test_only_the_owner_or_office_adds_members(make_user, login_as) -> None:
    org = OrganisationFactory()
    owner, staff, newcomer = make_user(Role.MERCHANT), make_user(Role.MERCHANT), make_user()
    MembershipFactory(user=owner, organisation=org, role=Membership.Role.OWNER)
    MembershipFactory(user=staff, organisation=org, role=Membership.Role.STAFF)
    url = f"/api/v1/organisations/{org.pk}/members"
    payload = {"username": newcomer.username, "role": "staff"}
    denied = login_as(staff).post(url, payload, content_type="application/json")
    assert denied.status_code == 403
    assert Membership.objects.filter(organisation=org).count() == 2
    added = login_as(owner).post(url, payload, content_type="application/json")
    assert added.status_code == 201
    again = login_as(owner).post(url, payload, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "organisation.member_exists"
    assert Membership.objects.filter(organisation=org).count() == 3
