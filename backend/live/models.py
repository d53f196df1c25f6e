"""Live sessions: the streamer's profile, sessions and their timeline, stream keys and who
saw them, assistants (中控), the product line-up and each 讲解 (explanation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation
from backend.catalog.models import Sku
from backend.common.crypto import EncryptedTextField


class StreamerProfile(models.Model):
    """Real-name details a streamer submits and the office checks before the first public
    stream (platforms require it). Unverified streamers may rehearse only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="streamer_profile"
    )
    real_name = models.CharField(_("real name"), max_length=64)
    id_number = EncryptedTextField(_("ID card number"))
    submitted_at = models.DateTimeField(auto_now=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [("verify_streamer", "Can verify streamers' real-name details")]

    def __str__(self) -> str:
        return f"{self.real_name} ({'verified' if self.verified_at else 'unverified'})"


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    REHEARSAL = "rehearsal", _("Rehearsal")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class LiveSession(models.Model):
    """One broadcast. `public_id` names its HLS folder, recordings and stat entries; the
    stream key is stored encrypted and looked up by its SHA-256 (`key_hash`)."""

    State = SessionState

    streamer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="live_sessions"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    cover_url = models.CharField(max_length=500, blank=True)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    public_id = models.CharField(max_length=32, unique=True)
    stream_key = EncryptedTextField()
    key_hash = models.CharField(max_length=64, unique=True)
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    # The encoder publishing now (nginx-rtmp's client id), and when the last one left.
    publisher_client_id = models.CharField(max_length=32, blank=True)
    publisher_since = models.DateTimeField(null=True, blank=True)
    publisher_left_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_start", "-id"]
        permissions = [("view_all_sessions", "Can see every live session (read only)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in SessionState]), name="live_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="live") | Q(started_at__isnull=False),
                name="live_session_live_has_start",
            ),
        ]
        indexes = [models.Index(fields=["state", "publisher_left_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"

    @property
    def publishing(self) -> bool:
        return bool(self.publisher_client_id)


class SessionMove(models.Model):
    """The session's timeline: every state move, who made it (None: the ingest), and why."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="moves")
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.from_state} → {self.to_state}"


class KeyAudit(models.Model):
    """Who revealed or rotated a session's stream key, and when."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("Revealed")
        ROTATE = "rotate", _("Rotated")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="key_audits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    addr = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.action} by {self.user_id}"


class Recording(models.Model):
    """A finished FLV recording nginx reported (on_record_done), named by the public id."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="recordings")
    path = models.CharField(max_length=500, unique=True)
    finished_at = models.DateTimeField(auto_now_add=True)
    # Known once the replay job has read it; kept until (the retention rule) then deleted.
    duration_s = models.FloatField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    keep_until = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.path


class Assistant(models.Model):
    """A 中控 who runs the console beside the streamer, without the stream key."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="assistants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="live_assistant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} assists {self.session_id}"


class CardState(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    LISTED = "listed", _("Listed")
    EXPLAINING = "explaining", _("Explaining")
    SOLD_OUT = "sold_out", _("Sold out")


class LineupItem(models.Model):
    """One SKU on the session's line-up, its live price and its card state."""

    State = CardState

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="lineup")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    live_price = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(max_length=16, choices=CardState.choices, default=CardState.HIDDEN)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sku"], name="live_lineup_sku_unique"),
            models.CheckConstraint(condition=Q(live_price__gt=0), name="live_price_positive"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in CardState]), name="live_card_state_valid"
            ),
            # One product explained at a time.
            models.UniqueConstraint(
                fields=["session"], condition=Q(state="explaining"), name="live_one_explaining"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: sku {self.sku_id} ({self.state})"


class Explanation(models.Model):
    """One 讲解: server-time start and end (replay chapters, clips)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="explanations")
    item = models.ForeignKey(LineupItem, on_delete=models.CASCADE, related_name="explanations")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(ended_at__isnull=True), name="live_one_open_explain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: item {self.item_id} from {self.started_at}"


# --- The room: chat, moderation, orders from the room, per-minute figures (issue 18) ---


class BannedWord(models.Model):
    """A word the office bans from chat: masked (＊) or the whole comment hidden."""

    class Action(models.TextChoices):
        MASK = "mask", _("Mask")
        HIDE = "hide", _("Hide")

    word = models.CharField(_("word"), max_length=32, unique=True)
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.MASK)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.word} ({self.action})"


class Comment(models.Model):
    """A viewer's comment in a session's room. `text` is what others see (banned words
    masked); `hidden` comments reach nobody but their author."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=16, blank=True)  # banned_word | moderator
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.text[:20]}"


class RoomControl(models.Model):
    """The room's switches the streamer and assistants set: mute-all, slow mode, the pin."""

    session = models.OneToOneField(LiveSession, on_delete=models.CASCADE, related_name="control")
    muted_all = models.BooleanField(default=False)
    slow_mode_s = models.PositiveIntegerField(default=0)
    pinned = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"room {self.session_id}"


class Mute(models.Model):
    """A user muted in one room until a time, by the streamer or an assistant."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["session", "user", "until"])]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.session_id} until {self.until}"


class CommentReport(models.Model):
    """举报: a viewer reports a comment into the queue the assistants see."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="live_report_once")
        ]

    def __str__(self) -> str:
        return f"report of {self.comment_id} by {self.reporter_id}"


class RoomOrder(models.Model):
    """An order whose source is this session (source_kind=live), as order.* events told us.
    GMV counts `amount_paid - amount_refunded`; zero-amount (prize) orders are no sales."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="orders")
    order_id = models.BigIntegerField(unique=True)
    buyer_name = models.CharField(max_length=64, blank=True)  # masked: 张**
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    paid_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["session", "paid_at"])]

    def __str__(self) -> str:
        return f"order {self.order_id} in {self.session_id}"


class MinuteFigure(models.Model):
    """One minute of a session: the series the studio draws and the report keeps."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="minutes")
    minute = models.DateTimeField()  # the minute's start
    viewers = models.PositiveIntegerField(default=0)  # unique viewers seen in the minute
    peak = models.PositiveIntegerField(default=0)  # peak concurrent viewers in the minute
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["minute"]
        constraints = [
            models.UniqueConstraint(fields=["session", "minute"], name="live_minute_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} @ {self.minute}"


# The replay, its chapters and product clips, restream targets (issue 17): models_media.py.
from backend.live.models_media import (  # noqa: E402
    ProductClip,
    Replay,
    ReplayChapter,
    RestreamTarget,
)

__all__ = ["ProductClip", "Replay", "ReplayChapter", "RestreamTarget"]
