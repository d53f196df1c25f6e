"""After and beyond the stream: the replay with its chapters, one clip per explained
product, and the session's restream targets on other platforms (issue 17)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Product, ProductVideo
from backend.common.crypto import EncryptedTextField


class JobState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Replay(models.Model):
    """The session's 回放: its recordings from 开播 to the end, as one MP4 with faststart,
    a cover and thumbnails. Files are storage names under live/replays/<public id>/."""

    State = JobState

    session = models.OneToOneField(
        "live.LiveSession", on_delete=models.CASCADE, related_name="replay"
    )
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    video = models.CharField(max_length=300, blank=True)
    cover = models.CharField(max_length=300, blank=True)
    thumbnails = models.PositiveIntegerField(default=0)
    duration_s = models.FloatField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    recordings = models.PositiveIntegerField(default=0)  # how many it was built from
    error = models.TextField(blank=True)  # the ffmpeg stderr tail, for staff
    claimed_at = models.DateTimeField(null=True, blank=True)  # a job's lease
    built_at = models.DateTimeField(null=True, blank=True)
    keep_until = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in JobState]), name="live_replay_state_valid"
            )
        ]

    def __str__(self) -> str:
        return f"replay of {self.session_id} ({self.state})"


class ReplayChapter(models.Model):
    """One 讲解 in the replay's time (seconds from its start)."""

    replay = models.ForeignKey(Replay, on_delete=models.CASCADE, related_name="chapters")
    explanation = models.OneToOneField(
        "live.Explanation", on_delete=models.CASCADE, related_name="chapter"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    start_s = models.FloatField()
    end_s = models.FloatField()

    class Meta:
        ordering = ["start_s", "id"]

    def __str__(self) -> str:
        return f"{self.title} @ {self.start_s:.1f}s"


class ProductClip(models.Model):
    """One clip per explained product (its longest 讲解, with padding), cut from the replay
    and attached to the product as a video. A failed cut keeps ffmpeg's stderr tail."""

    State = JobState

    replay = models.ForeignKey(Replay, on_delete=models.CASCADE, related_name="clips")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    explanation = models.ForeignKey("live.Explanation", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    start_s = models.FloatField()  # the padded span in the replay
    end_s = models.FloatField()
    duration_s = models.FloatField(null=True, blank=True)  # of the file made
    size_bytes = models.PositiveBigIntegerField(default=0)
    video = models.ForeignKey(
        ProductVideo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_s", "id"]
        constraints = [
            models.UniqueConstraint(fields=["replay", "product"], name="live_clip_per_product"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in JobState]), name="live_clip_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"clip of product {self.product_id} in {self.replay_id} ({self.state})"


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("Douyin")
    CHANNELS = "channels", _("WeChat Channels")
    KUAISHOU = "kuaishou", _("Kuaishou")
    CUSTOM = "custom", _("Other RTMP")


class TargetStatus(models.TextChoices):
    IDLE = "idle", _("Idle")
    CONNECTING = "connecting", _("Connecting")
    CONNECTED = "connected", _("Connected")
    RETRYING = "retrying", _("Retrying")


class RestreamTarget(models.Model):
    """转推: the session's stream pushed on to another platform while it is live. The
    platform's stream key is encrypted and reaches only the supervising process (never a
    log, an answer or a command line). Health fields are written by that process alone."""

    Platform = Platform
    Status = TargetStatus

    session = models.ForeignKey(
        "live.LiveSession", on_delete=models.CASCADE, related_name="restream_targets"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    label = models.CharField(_("label"), max_length=60)
    server_url = models.CharField(_("server URL"), max_length=300)
    stream_key = EncryptedTextField()
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=TargetStatus.choices, default="idle")
    bitrate_kbps = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)
    connected_since = models.DateTimeField(null=True, blank=True)
    health_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(platform__in=[p.value for p in Platform]),
                name="live_restream_platform_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.platform}) of {self.session_id}"
