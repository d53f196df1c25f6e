"""A buyer's phone number shows nowhere it is not needed: not in the username that ledgers and
member lists show, and an organisation's owner cannot look people up by id."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client

from backend.accounts.models import Membership, User
from backend.accounts.roles import Role
from tests.factories.accounts import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
BUYER_USERNAME = re.compile(r"^buyer_[0-9a-f]{10}$")


def test_a_phone_sign_up_gets_a_username_without_the_number(client: Client, sms) -> None:
    client.post("/api/v1/auth/phone/code", {"phone": PHONE}, content_type="application/json")
    me = client.post(
        "/api/v1/auth/phone/login",
        {"phone": PHONE, "code": sms.last_code(PHONE)},
        content_type="application/json",
    ).json()
    assert BUYER_USERNAME.match(me["username"]), me["username"]
    assert "5678" not in me["username"] and "1391234" not in me["username"]
    assert User.objects.get(phone=PHONE).username == me["username"]


def test_existing_phone_usernames_are_renamed_by_the_migration(make_user) -> None:
    migration = importlib.import_module("backend.accounts.migrations.0002_usernames_without_phone")
    old = make_user(Role.BUYER, username=f"m{PHONE}", phone=PHONE)
    other = make_user(Role.BUYER, username="m13800000001", phone="13800000001")
    chosen = make_user(Role.MERCHANT, username="m139-honey")
    migration.usernames_without_phone(django_apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    chosen.refresh_from_db()
    assert BUYER_USERNAME.match(old.username) and BUYER_USERNAME.match(other.username)
    assert old.username != other.username
    assert (old.phone, chosen.username) == (PHONE, "m139-honey")


def test_an_owner_adds_a_member_by_username_never_by_id(make_user, login_as) -> None:
    org = OrganisationFactory()
    owner = make_user(Role.MERCHANT)
    MembershipFactory(user=owner, organisation=org, role=Membership.Role.OWNER)
    stranger = make_user(Role.BUYER, phone=PHONE, display_name="张女士")
    client = login_as(owner)
    url = f"/api/v1/organisations/{org.pk}/members"
    by_id = client.post(url, {"user_id": stranger.pk}, content_type="application/json")
    assert by_id.status_code == 422
    assert stranger.username not in by_id.content.decode()
    assert "张女士" not in by_id.content.decode()
    unknown = client.post(url, {"username": "nobody-here"}, content_type="application/json")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert Membership.objects.filter(organisation=org).count() == 1
    added = client.post(url, {"username": stranger.username}, content_type="application/json")
    assert added.status_code == 201
    assert added.json()["user_id"] == stranger.pk
    assert Membership.objects.filter(organisation=org).count() == 2
