"""The plan's targets and periods, as data (沁政办发〔2022〕15号).

Every app reads a target through `backend.plan.selectors`; no number of the plan is a
literal in code. A target changes only by a migration, so every change is reviewed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

PLAN_DOCUMENT = "沁政办发〔2022〕15号"


class Period(models.Model):
    key = models.SlugField(_("key"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    section = models.CharField(_("seed section"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("plan period")
        verbose_name_plural = _("plan periods")
        ordering = ["start", "-end"]  # an enclosing period before its phases
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start}–{self.end})"


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    EXACTLY = "exactly", _("exactly")


class Cadence(models.TextChoices):
    TOTAL = "total", _("over the period")
    PER_YEAR = "per_year", _("each year")


class Target(models.Model):
    Comparison = Comparison
    Cadence = Cadence

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=64)
    wording = models.TextField(_("the plan's own wording"))
    unit = models.CharField(_("unit"), max_length=16)
    comparison = models.CharField(_("comparison"), max_length=16, choices=Comparison.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    cadence = models.CharField(
        _("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.TOTAL
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    document = models.CharField(_("source document"), max_length=64, default=PLAN_DOCUMENT)
    section = models.CharField(_("seed section"), max_length=64)
    position = models.PositiveSmallIntegerField(_("order in the plan"))

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comparison__in=[c.value for c in Comparison]),
                name="target_comparison_valid",
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=[c.value for c in Cadence]), name="target_cadence_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
            models.UniqueConstraint(fields=["position"], name="target_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.get_comparison_display()} {self.value} {self.unit}"

    def is_met_by(self, actual: Decimal) -> bool:
        """Whether a measured value satisfies this target (indicators call this)."""
        if self.comparison == Comparison.AT_LEAST:
            return actual >= self.value
        if self.comparison == Comparison.AT_MOST:
            return actual <= self.value
        return actual == self.value
