"""The nine roles of the platform, each a Django group.

Accounts declares them (accounts/declare.py); every app grants its own permissions to
them, or adds roles of its own, in its declare.py. `roles_sync` (run after every migrate)
makes the groups and their permissions match what the apps declared.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.common.registry import Label


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


ROLE_LABELS: dict[Role, Label] = {
    Role.PLATFORM_ADMIN: Label("平台管理员", "Platform admin"),
    Role.OFFICE_STAFF: Label("县电商办", "Office staff"),
    Role.MERCHANT: Label("商家", "Merchant"),
    Role.STREAMER: Label("主播", "Streamer"),
    Role.ORGANISER: Label("活动组织者", "Event organiser"),
    Role.JUDGE: Label("评委", "Judge"),
    Role.STATION_OPERATOR: Label("服务站站长", "Station operator"),
    Role.INSPECTOR: Label("抽检员", "Inspector"),
    Role.BUYER: Label("买家", "Buyer"),
}
