"""Admin: platform apps and stores, never showing a secret or a token.

The secret fields are left out of every form and list; an app's secret is set through the
`app_secret_new` field, which is write-only (rendered empty)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from backend.stores.models import PlatformApp, Store


class PlatformAppForm(forms.ModelForm):  # type: ignore[type-arg]
    app_secret_new = forms.CharField(
        label="app secret (write-only; leave empty to keep)",
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )

    class Meta:
        model = PlatformApp
        fields = ("platform", "name", "app_key", "endpoint_base", "calls_per_second", "is_active")

    def save(self, commit: bool = True) -> Any:
        app = super().save(commit=False)
        if self.cleaned_data.get("app_secret_new"):
            app.app_secret = self.cleaned_data["app_secret_new"]
        if commit:
            app.save()
        return app


@admin.register(PlatformApp)
class PlatformAppAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PlatformAppForm
    list_display = ("id", "platform", "name", "app_key", "endpoint_base", "is_active")


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "shop_name", "app", "organisation", "status", "last_sync_at")
    list_filter = ("status", "app__platform")
    fields = (
        "app",
        "organisation",
        "shop_id",
        "shop_name",
        "status",
        "status_reason",
        "token_expires_at",
        "freight_template_id",
        "freight_template_name",
        "safety_stock",
        "share_percent",
        "last_sync_at",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stores are bound by OAuth only
