"""The county registry: Qinshui's townships (乡镇) and their villages (行政村/社区).

Codes are the NBS statistical division codes (统计用区划代码): 9 digits for a township,
12 for a village, and a village's code starts with its township's code.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TOWNSHIP_CODE_PATTERN = r"^[0-9]{9}$"
VILLAGE_CODE_PATTERN = r"^[0-9]{12}$"
# No NBS province code starts with 99: demo villages carry it so they can never pass for real.
SAMPLE_CODE_PREFIX = "99"
SAMPLE_NAME_MARK = "（示例）"


class TownshipKind(models.TextChoices):
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"


class Township(models.Model):
    Kind = TownshipKind

    code = models.CharField(_("NBS code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Dissolved townships stay: old addresses and GI documents still name them.
    is_dissolved = models.BooleanField(_("dissolved"), default=False)
    dissolved_year = models.PositiveSmallIntegerField(_("year dissolved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=TOWNSHIP_CODE_PATTERN), name="township_code_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TownshipKind]), name="township_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_dissolved=True, dissolved_year__isnull=False)
                | Q(is_dissolved=False, dissolved_year__isnull=True),
                name="township_dissolved_has_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TownshipAlias(models.Model):
    """Another name people write for a township ("龙港" for 龙港镇). An alias names one
    township only, or the resolver could not tell them apart."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("township alias")
        verbose_name_plural = _("township aliases")
        ordering = ["township__code", "alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.township_id}"


class Village(models.Model):
    code = models.CharField(_("NBS code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="villages")
    formerly_poor = models.BooleanField(_("formerly poor village (脱贫村)"), default=False)
    is_sample = models.BooleanField(_("demo sample, not a real village"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=VILLAGE_CODE_PATTERN), name="village_code_format"
            ),
            models.CheckConstraint(
                condition=Q(is_sample=True, code__startswith=SAMPLE_CODE_PREFIX)
                | (Q(is_sample=False) & ~Q(code__startswith=SAMPLE_CODE_PREFIX)),
                name="village_sample_code_marked",
            ),
        ]
        indexes = [models.Index(fields=["township", "name"])]

    def __str__(self) -> str:
        return self.name
