"""The catalogue: products (SPU) of a seller organisation, their SKUs, brands, graded
packaging standards, the stock ledger and product images with derived variants."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, User
from backend.geo.models import Township, Village


class Brand(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("County public brand")
        QUALITY = "quality", _("Quality agricultural brand")

    class TrademarkStatus(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPLIED = "applied", _("Applied")
        REGISTERED = "registered", _("Registered")
        EXPIRED = "expired", _("Expired")

    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    trademark_no = models.CharField(_("trademark number"), max_length=32, blank=True)
    trademark_class = models.PositiveSmallIntegerField(_("Nice class"), null=True, blank=True)
    trademark_status = models.CharField(
        max_length=16, choices=TrademarkStatus.choices, default=TrademarkStatus.PLANNED
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["kind", "id"]
        permissions = [("use_county_brand", "Can attach the county's brands to products")]
        constraints = [
            # The plan has exactly one county public brand.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="public"), name="one_public_brand"
            ),
            models.CheckConstraint(
                condition=Q(trademark_class__isnull=True)
                | Q(trademark_class__gte=1, trademark_class__lte=45),
                name="brand_nice_class_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PackagingStandard(models.Model):
    """分级包装标准: how a product of a grade is judged, packed and labelled."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    grade = models.CharField(_("grade"), max_length=32)
    criteria = models.TextField(_("grading criteria"))
    package_spec = models.TextField(_("package specification"))
    label_text = models.TextField(_("label text"))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("packaging standard")
        verbose_name_plural = _("packaging standards")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ON_SALE = "on_sale", _("On sale")
    OFF_SALE = "off_sale", _("Off sale")
    RECALLED = "recalled", _("Recalled")


class Product(models.Model):
    Status = ProductStatus

    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(_("title"), max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, null=True, blank=True)
    origin_township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True)
    origin_village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=ProductStatus.choices, default="draft")
    is_supply_chain = models.BooleanField(_("supply-chain product (供应链产品)"), default=False)
    # Processed food needs a food-production licence (SC); it must be valid to sell.
    needs_licence = models.BooleanField(default=False)
    licence_sc_no = models.CharField(_("SC licence number"), max_length=32, blank=True)
    licence_holder = models.CharField(max_length=128, blank=True)
    licence_expires = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-id"]
        permissions = [
            ("view_all_products", "Can see every seller's products"),
            ("change_all_products", "Can edit every seller's products"),
            ("recall_product", "Can recall a product"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProductStatus]),
                name="product_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(needs_licence=False)
                | (~Q(licence_sc_no="") & Q(licence_expires__isnull=False)),
                name="product_licence_complete",
                violation_error_message=_("Processed food needs an SC number and its expiry."),
            ),
        ]
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self) -> str:
        return self.title


class Sku(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    # Denormalised from the product: outer ids are unique per seller.
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    spec = models.JSONField(_("spec values"), default=dict, blank=True)
    spec_text = models.CharField(_("spec"), max_length=120)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    list_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    stock = models.IntegerField(default=0)
    weight_grams = models.PositiveIntegerField()
    volume_cm3 = models.PositiveIntegerField(default=0)
    barcode = models.CharField(max_length=32, blank=True)
    outer_id = models.CharField(_("outer id"), max_length=64)
    packaging_standard = models.ForeignKey(
        PackagingStandard, on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "outer_id"], name="sku_outer_id_per_seller"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="sku_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="sku_price_positive"),
            models.CheckConstraint(
                condition=Q(list_price__isnull=True) | Q(list_price__gte=F("price")),
                name="sku_list_price_not_below_price",
            ),
            models.CheckConstraint(condition=Q(weight_grams__gt=0), name="sku_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.outer_id} {self.spec_text}"


class StockLocation(models.Model):
    """A place other than the merchant's own where a SKU's units are kept: a shop's shelf
    (the offline specialty shop), later the county warehouse. The merchant's own stock is
    `Sku.stock` (what is sold online) and has no row here; its ledger rows have no location."""

    class Kind(models.TextChoices):
        SHOP_SHELF = "shop_shelf", _("Shop shelf")
        WAREHOUSE = "warehouse", _("Warehouse")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["shop_shelf", "warehouse"]), name="stock_location_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """How events name it: "<kind>:<id>" (the merchant's own is "merchant")."""
        return f"{self.kind}:{self.pk}"


class LocationStock(models.Model):
    """Units of a SKU at a location (never online-sellable); moved by the stock service."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="placed")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="stock")
    quantity = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "location"], name="location_stock_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="location_stock_ge0"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.location_id}: {self.quantity}"


class StockEntry(models.Model):
    """The stock ledger: one row per change, written by the stock service only. `location`
    null is the merchant's own stock (online); else `stock_after` is the count there."""

    class Reason(models.TextChoices):
        ADJUSTMENT = "adjustment", _("Manual adjustment")
        RESERVATION = "reservation", _("Order reservation")
        RELEASE = "release", _("Release")
        IMPORT = "import", _("Import")
        CORRECTION = "correction", _("Correction")
        CONSIGN = "consign", _("Consigned to a shop")
        UNCONSIGN = "unconsign", _("Returned from a shop to its merchant")
        RETURN = "return", _("Returned by a customer")

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="ledger")
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delta = models.IntegerField()
    stock_after = models.IntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)
    ref = models.CharField(_("reference"), max_length=64, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock ledger entry")
        verbose_name_plural = _("stock ledger entries")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="stock_entry_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} {self.delta:+d} → {self.stock_after}"


class ImageSpec(models.Model):
    """A derived image every product image gets (square main, thumbnail, each marketplace's
    main image). Seeded from imaging.DEFAULT_SPECS; a seller may override a spec by name."""

    name = models.CharField(max_length=32)
    platform = models.CharField(max_length=16)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    mode = models.CharField(max_length=8, default="pad")
    format = models.CharField(max_length=8, default="JPEG")
    max_bytes = models.PositiveIntegerField()
    background = models.CharField(max_length=7, default="#ffffff")
    seller = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("image size")
        verbose_name_plural = _("image sizes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(seller__isnull=True), name="image_spec_default_name"
            ),
            models.UniqueConstraint(fields=["name", "seller"], name="image_spec_seller_name"),
            models.CheckConstraint(
                condition=Q(width__gte=16, width__lte=4000, height__gte=16, height__lte=4000),
                name="image_spec_size_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.width}×{self.height}"


class ProductImage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveIntegerField(default=0)
    original = models.FileField(upload_to="catalog/originals/%Y/%m/")
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product_id", "position", "id"]

    def __str__(self) -> str:
        return f"image {self.pk} of product {self.product_id}"


class ImageVariant(models.Model):
    image = models.ForeignKey(ProductImage, on_delete=models.CASCADE, related_name="variants")
    spec_name = models.CharField(max_length=32)
    platform = models.CharField(max_length=16)
    file = models.FileField(upload_to="catalog/variants/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    format = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("image variant")
        verbose_name_plural = _("image variants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["image", "spec_name"], name="variant_once_per_spec"),
        ]

    def __str__(self) -> str:
        return f"{self.spec_name} of image {self.image_id}"


class ProductVideo(models.Model):
    """A short video shown with a product (a clip of a live 讲解, say). `source_ref` is the
    attaching side's own name for it (opaque here), so attaching again replaces, never adds."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="catalog/videos/%Y/%m/", max_length=300)
    duration_s = models.FloatField()
    size_bytes = models.PositiveBigIntegerField()
    source_ref = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product video")
        verbose_name_plural = _("product videos")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "source_ref"], name="video_once_per_source"),
            models.CheckConstraint(condition=Q(duration_s__gt=0), name="video_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"video {self.pk} of product {self.product_id}"
