"""Specialty stores on the marketplaces: the platform apps the office registers, the stores a
merchant binds by OAuth, the mappings each platform requires, listings and sync jobs.

Secrets (app secrets, access and refresh tokens) are encrypted at rest and never leave the
backend: no schema, admin page, log line or error message carries them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, User
from backend.catalog.models import Category, Product, Sku
from backend.common.crypto import EncryptedTextField
from backend.orders.models import Order


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("Taobao")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    JD = "jd", _("JD")


class PlatformApp(models.Model):
    """One registration on a platform's open platform (kept by the office)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=64)
    app_key = models.CharField(max_length=64)
    app_secret = EncryptedTextField()
    # Empty: the platform's real gateway and OAuth pages; else a sandbox (or proxy) serving
    # the same paths under this base URL.
    endpoint_base = models.CharField(max_length=200, blank=True)
    # Our own limiter (shared by every worker through Redis); None = no limit of ours.
    calls_per_second = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "app_key"], name="platform_app_unique"),
            models.CheckConstraint(
                condition=Q(platform__in=[p.value for p in Platform]),
                name="platform_app_platform_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.name}"


class StoreStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REAUTHORISE = "reauthorise", _("Needs re-authorisation")
    PAUSED = "paused", _("Paused")


class DeletedRemotely(models.TextChoices):
    REPUBLISH = "republish", _("Publish it again")
    MARK = "mark", _("Mark it and wait")


class Store(models.Model):
    Status = StoreStatus

    app = models.ForeignKey(PlatformApp, on_delete=models.PROTECT, related_name="stores")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shop_id = models.CharField(max_length=64)
    shop_name = models.CharField(max_length=128, blank=True)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    token_expires_at = models.DateTimeField()
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=StoreStatus.choices, default="active")
    status_reason = models.CharField(max_length=300, blank=True)
    bound_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    bound_at = models.DateTimeField(auto_now_add=True)
    freight_template_id = models.CharField(max_length=32, blank=True)
    freight_template_name = models.CharField(max_length=128, blank=True)
    location_state = models.CharField(max_length=16, default="山西")
    location_city = models.CharField(max_length=16, default="晋城")
    # One physical stock sells on several stores, the live room and the counter: each store
    # gets (stock - safety_stock) * share_percent / 100, rounded down.
    safety_stock = models.PositiveIntegerField(default=0)
    share_percent = models.PositiveSmallIntegerField(default=100)
    deleted_remotely = models.CharField(
        max_length=16, choices=DeletedRemotely.choices, default=DeletedRemotely.REPUBLISH
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Order import: everything modified before the cursor has been read (the next run starts
    # a small overlap before it); it moves window by window, only past what was read.
    orders_cursor = models.DateTimeField(null=True, blank=True)
    after_sales_cursor = models.DateTimeField(null=True, blank=True)
    import_window_start = models.DateTimeField(null=True, blank=True)
    import_window_end = models.DateTimeField(null=True, blank=True)
    import_at = models.DateTimeField(null=True, blank=True)
    import_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        permissions = [("view_all_stores", "Can see every organisation's stores")]
        constraints = [
            models.UniqueConstraint(fields=["app", "shop_id"], name="store_shop_per_app"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in StoreStatus]), name="store_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0, share_percent__lte=100),
                name="store_share_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_name or self.shop_id} ({self.app.platform})"


class BindState(models.Model):
    """One OAuth attempt: the signed `state` carries its nonce; used once, by its user."""

    nonce = models.CharField(max_length=64, unique=True)
    app = models.ForeignKey(PlatformApp, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"bind {self.app_id} for {self.organisation_id}"


class CategoryMapping(models.Model):
    """Our category → the platform's leaf category, its attributes and the sale attribute
    that carries each SKU's spec. Choices are read from the platform when saved."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="mappings")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    remote_category_id = models.CharField(max_length=32)
    remote_category_name = models.CharField(max_length=128)
    sale_attribute_id = models.CharField(max_length=32)
    sale_attribute_name = models.CharField(max_length=64)
    # {attribute id: {"name", "value_id", "value"}} for the non-sale attributes given.
    attributes = models.JSONField(default=dict, blank=True)
    # Taobao only: {spec text: value id of the sale attribute}.
    spec_values = models.JSONField(default=dict, blank=True)
    # Pinduoduo only: {spec text: spec id the platform gave for it}, asked when the mapping
    # is saved (pdd.goods.spec.id.get), so a publish does not wait for them.
    spec_ids = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "category"], name="mapping_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} → {self.remote_category_name}"


class ListingState(models.TextChoices):
    UNLISTED = "unlisted", _("Not listed")
    PUBLISHING = "publishing", _("Publishing")
    LISTED = "listed", _("Listed")
    FAILED = "failed", _("Failed")
    OFF_SALE = "off_sale", _("Off sale")


class Listing(models.Model):
    State = ListingState

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="listings")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=ListingState.choices, default="unlisted")
    # What was last pushed, by part: a part whose hash is unchanged costs no write call.
    content_hash = models.CharField(max_length=64, blank=True)
    price_hash = models.CharField(max_length=64, blank=True)
    stock_hash = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    platform_message = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "product"], name="listing_per_store"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ListingState]),
                name="listing_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.store_id} {self.state}"


class ListingSku(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="skus")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="+")
    remote_sku_id = models.CharField(max_length=64, blank=True)
    pushed_stock = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "sku"], name="listing_sku_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} → {self.remote_sku_id}"


class JobKind(models.TextChoices):
    PUBLISH = "publish", _("Publish and update")
    STOCK = "stock", _("Stock")
    DELIST = "delist", _("Take off sale")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")


class SyncJob(models.Model):
    Kind = JobKind
    Status = JobStatus

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default="queued")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    write_calls = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SyncItem(models.Model):
    Status = ItemStatus

    job = models.ForeignKey(SyncJob, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds an item until then; a dead worker's item is taken over after it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    write_calls = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    platform_message = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "product"], name="sync_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} in job {self.job_id} ({self.status})"


class PushStatus(models.TextChoices):
    NONE = "none", _("Nothing to send")
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    REJECTED = "rejected", _("Refused by the platform")


class StoreOrder(models.Model):
    """A marketplace order as imported: one per (store, remote order id), tied to the order
    it became in our flow."""

    Push = PushStatus

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="orders")
    remote_id = models.CharField(max_length=64)
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="store_fact")
    remote_status = models.CharField(max_length=64)
    remote_total = models.DecimalField(max_digits=12, decimal_places=2)
    remote_modified_at = models.DateTimeField()
    # Lines whose outer id matches none of the organisation's SKUs: [{outer_id, title, qty}].
    unmatched = models.JSONField(default=list, blank=True)
    push_status = models.CharField(max_length=16, choices=PushStatus.choices, default="none")
    push_attempts = models.PositiveSmallIntegerField(default=0)
    push_error = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "remote_id"], name="store_order_once"),
            models.CheckConstraint(
                condition=Q(push_status__in=[s.value for s in PushStatus]),
                name="store_order_push_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}:{self.remote_id}"


class AfterSaleState(models.TextChoices):
    OPEN = "open", _("Open")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")
    UNKNOWN = "unknown", _("Unknown")


class StoreAfterSale(models.Model):
    """A refund or return opened on the platform; refunded once (`refunded_at`)."""

    State = AfterSaleState

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="after_sales")
    remote_id = models.CharField(max_length=64)
    store_order = models.ForeignKey(
        StoreOrder, on_delete=models.PROTECT, related_name="after_sales"
    )
    state = models.CharField(max_length=16, choices=AfterSaleState.choices)
    remote_status = models.CharField(max_length=32)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    with_return = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    remote_modified_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)
    # Goods came back and went into stock (once per order).
    restocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "remote_id"], name="store_after_sale_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="store_after_sale_amount_ge0"),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}:{self.remote_id} {self.state}"
