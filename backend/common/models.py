from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A domain event, stored in the transaction that caused it (the outbox)."""

    name = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"


class EventDelivery(models.Model):
    """One (event, handler) pair. Recorded so that a re-delivery is a no-op and a failure
    is retried for this handler only."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        FAILED = "failed", "failed (will retry)"
        SUCCEEDED = "succeeded", "succeeded"
        DEAD = "dead", "dead (gave up; re-queue from the admin)"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="delivery_once_per_handler"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "failed", "succeeded", "dead"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_id}→{self.handler} ({self.status})"
