"""The platform's roles, each a Django group with a fixed set of permissions.

This table is the single source: `roles_sync` (run after every migrate) makes the
groups and their permissions match it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    OFFICE_STAFF = "office_staff", _("Office staff")
    MERCHANT = "merchant", _("Merchant")
    STREAMER = "streamer", _("Streamer")
    ORGANISER = "organiser", _("Event organiser")
    JUDGE = "judge", _("Judge")
    STATION_OPERATOR = "station_operator", _("Station operator")
    INSPECTOR = "inspector", _("Inspector")
    BUYER = "buyer", _("Buyer")


# What the county e-commerce office does: everything an administrator does except manage users.
_OFFICE: tuple[str, ...] = (
    "accounts.view_user",
    "accounts.view_organisation",
    "accounts.add_organisation",
    "accounts.change_organisation",
    "accounts.view_all_organisations",
    "accounts.manage_members",
    "catalog.view_all_products",
    "catalog.change_all_products",
    "catalog.recall_product",
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_brand",
    "catalog.change_brand",
    "catalog.add_packagingstandard",
    "catalog.change_packagingstandard",
    "catalog.change_imagespec",
    "orders.view_all_orders",
)

# Permissions as "app_label.codename". Later apps add theirs here.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PLATFORM_ADMIN: (*_OFFICE, "accounts.change_user"),
    Role.OFFICE_STAFF: _OFFICE,
    Role.MERCHANT: (
        "accounts.view_organisation",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.change_imagespec",
        "orders.change_order",
    ),
    Role.STREAMER: ("accounts.view_organisation",),
    Role.ORGANISER: ("accounts.view_organisation",),
    Role.JUDGE: (),
    Role.STATION_OPERATOR: ("accounts.view_organisation",),
    Role.INSPECTOR: (
        "accounts.view_organisation",
        "accounts.view_all_organisations",
        "catalog.view_all_products",
        "catalog.recall_product",
    ),
    Role.BUYER: (),
}
