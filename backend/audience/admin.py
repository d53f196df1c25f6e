"""Follows, reminders and notices in the admin, read only (viewers make them on the watch
page; the services send the notices)."""

from __future__ import annotations

from django.contrib import admin

from backend.audience.models import Follow, Notice, Reminder
from backend.common.admin_readonly import ReadOnlyAdmin


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("id", "follower", "streamer", "session", "sms", "created_at")
    list_filter = ("sms",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "session", "created_at")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "kind", "session", "created_at")
    list_filter = ("kind",)
