"""User management for staff: the users, their roles (groups), and lifting login lock-outs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.accounts.models import Membership, Organisation, User
from backend.accounts.services import user_logins_unlock


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Platform"), {"fields": ("display_name", "phone", "language")}),
    )
    actions = ["unlock_logins"]

    @admin.action(description=_("Unlock logins (clear failed attempts)"), permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        users = list(queryset)
        for user in users:
            user_logins_unlock(user=user)
        self.message_user(
            request,
            ngettext(
                "Logins unlocked for %(count)d user.",
                "Logins unlocked for %(count)d users.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "kind", "credit_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "credit_code")
    inlines = [MembershipInline]
