"""The viewers' side of live sessions: who follows which streamer (关注), who asked to be
reminded of a session (预约), and the on-site notices they were sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.live.models import LiveSession


class Follow(models.Model):
    """A viewer follows a streamer. `session` is the session the follow came from (the
    watch page): "new followers per session" counts these. `sms`: told of go-lives by SMS."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    streamer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sms = models.BooleanField(_("SMS when live"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "streamer"], name="audience_follow_once"),
            models.CheckConstraint(
                condition=~Q(follower=F("streamer")), name="audience_no_self_follow"
            ),
        ]
        indexes = [models.Index(fields=["streamer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.streamer_id}"


class Reminder(models.Model):
    """预约: remind this viewer before the session starts. `sent_at` is set once, by the
    conditional UPDATE that claims the reminder; `cancel_told_at` likewise when the
    session was cancelled instead (the viewer is told, no reminder goes out)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancel_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="audience_reminder_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "cancel_told_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} reminded of {self.session_id}"


class NoticeKind(models.TextChoices):
    GO_LIVE = "go_live", _("Went live")
    REMINDER = "reminder", _("Starts soon")
    CANCELLED = "cancelled", _("Cancelled")


class Notice(models.Model):
    """An on-site notice. One per (user, kind, session): the unique constraint is what
    makes a notice job or an event handler safe to run twice."""

    Kind = NoticeKind

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "session"], name="audience_notice_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NoticeKind]), name="audience_notice_kind"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id} for {self.session_id}"
