from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.common.events import dispatch
from backend.common.models import EventDelivery, OutboxEvent
from backend.common.outbox import delivery_requeue


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EventDelivery
    extra = 0
    can_delete = False
    readonly_fields = (
        "handler",
        "status",
        "attempts",
        "next_attempt_at",
        "succeeded_at",
        "last_error",
    )


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "created_at")
    list_filter = ("name",)
    readonly_fields = ("name", "payload", "created_at")
    inlines = [DeliveryInline]


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Stuck deliveries with their last error; re-queue them once the cause is fixed."""

    list_display = ("id", "event", "handler", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "handler")
    readonly_fields = ("event", "handler", "attempts", "succeeded_at", "last_error")
    actions = ["requeue"]

    @admin.action(description="Re-queue (fresh attempts, deliver now)")
    def requeue(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        count = delivery_requeue(delivery_ids=ids)
        dispatch(event_ids=sorted(set(queryset.values_list("event_id", flat=True))))
        self.message_user(request, f"{count} deliveries re-queued", messages.SUCCESS)
