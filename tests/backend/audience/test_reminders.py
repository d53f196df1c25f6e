"""预约 reminders: an SMS (through the SMS sandbox) and an on-site notice a set number of
minutes before the start, once however often the job runs; a cancelled session sends
none and tells the subscriber instead; one tap unsubscribes; the streamer sees the count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.audience.models import Notice, Reminder
from backend.audience.services import reminders_send
from backend.audience.tasks import audience_reminders_send
from backend.live.models import LiveSession
from tests.backend.audience.conftest import call

pytestmark = pytest.mark.django_db


def _subscribe(login_as, user, session) -> dict:
    response = call(login_as(user), "put", f"/sessions/{session.pk}/reminder")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_reminder_goes_out_once_when_the_job_runs_twice(
    login_as, viewer, coming, sms, settings, django_capture_on_commit_callbacks
) -> None:
    settings.AUDIENCE_REMIND_MINUTES = 15
    assert _subscribe(login_as, viewer, coming) == {
        "session_id": coming.pk, "subscribed": True, "subscribers": 1,
    }  # fmt: skip
    assert _subscribe(login_as, viewer, coming)["subscribers"] == 1  # twice: one reminder

    with django_capture_on_commit_callbacks(execute=True):
        assert audience_reminders_send.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert audience_reminders_send.apply().get() == 0

    start = timezone.localtime(coming.scheduled_start).strftime("%m-%d %H:%M")
    text = f"{start} 开播：赵小明 · 端氏黄小米 丰收直播 https://live.example.cn/live/{coming.pk}/"
    assert [(m["sign"], m["text"]) for m in sms.messages(viewer.phone)] == [("沁水电商", text)]
    assert list(Notice.objects.values_list("user_id", "kind", "session_id", "text")) == [
        (viewer.pk, "reminder", coming.pk, text)
    ]
    assert Reminder.objects.get().sent_at is not None


def test_not_yet_due_sends_nothing(login_as, viewer, streamer, sms, settings) -> None:
    from tests.factories.records import session_held

    later = session_held(
        streamer=streamer, started=timezone.now() + timedelta(hours=3), state="scheduled"
    )
    _subscribe(login_as, viewer, later)
    settings.AUDIENCE_REMIND_MINUTES = 15
    assert reminders_send().sent == 0
    assert sms.messages(viewer.phone) == []
    assert Notice.objects.count() == 0


def test_a_cancelled_session_sends_no_reminder_and_tells_the_subscriber(
    login_as, viewer, coming, sms, django_capture_on_commit_callbacks
) -> None:
    _subscribe(login_as, viewer, coming)
    LiveSession.objects.filter(pk=coming.pk).update(state=LiveSession.State.CANCELLED)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send()

    start = timezone.localtime(coming.scheduled_start).strftime("%m-%d %H:%M")
    told = f"已取消：赵小明 · 端氏黄小米 丰收直播（{start}），不会再发开播提醒。"
    assert [(m["sign"], m["text"]) for m in sms.messages(viewer.phone)] == [("沁水电商", told)]
    assert list(Notice.objects.values_list("kind", "text")) == [("cancelled", told)]
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None and reminder.cancel_told_at is not None


def test_one_tap_unsubscribes_and_nothing_is_sent(login_as, viewer, coming, sms) -> None:
    _subscribe(login_as, viewer, coming)
    response = call(login_as(viewer), "delete", f"/sessions/{coming.pk}/reminder")
    assert response.json() == {"session_id": coming.pk, "subscribed": False, "subscribers": 0}
    assert reminders_send().sent == 0
    assert sms.messages(viewer.phone) == []


def test_the_streamer_sees_the_count_and_others_do_not(
    login_as, make_user, viewer, streamer, coming
) -> None:
    from backend.accounts.roles import Role

    _subscribe(login_as, viewer, coming)
    _subscribe(login_as, make_user(Role.BUYER, username="wang"), coming)
    figures = call(login_as(streamer), "get", f"/sessions/{coming.pk}/figures")
    assert figures.json() == {
        "session_id": coming.pk, "subscribers": 2, "followers": 0, "new_followers": 0,
    }  # fmt: skip
    assert call(login_as(viewer), "get", f"/sessions/{coming.pk}/figures").status_code == 404


def test_a_session_that_started_takes_no_new_reminders(login_as, viewer, coming) -> None:
    LiveSession.objects.filter(pk=coming.pk).update(
        state=LiveSession.State.ENDED, started_at=timezone.now(), ended_at=timezone.now()
    )
    response = call(login_as(viewer), "put", f"/sessions/{coming.pk}/reminder")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "audience.reminder_closed"
    assert Reminder.objects.count() == 0
