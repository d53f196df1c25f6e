"""Admin: the office keeps programmes, cohorts, milestone rules, clusters and the team here.
An incubatee's stage is read-only (moves go through the pipeline, with a reason); phones are
masked in lists."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.incubation.models import (
    Cluster,
    ClusterMember,
    Cohort,
    Incubatee,
    MilestoneRule,
    Programme,
    Residency,
    ServiceLog,
    TeamMember,
)
from backend.incubation.selectors import mask_phone


class ResidencyInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Residency
    extra = 0


class ServiceLogInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ServiceLog
    extra = 0
    autocomplete_fields = ("staff",)


@admin.register(Incubatee)
class IncubateeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "kind", "stage", "village", "cohort", "phone")
    list_filter = ("kind", "stage", "cohort")
    search_fields = ("name",)
    readonly_fields = (
        "stage",
        "applied_at",
        "admitted_at",
        "started_at",
        "graduated_at",
        "withdrawn_at",
    )
    raw_id_fields = ("organisation", "user", "village", "mentor")
    inlines = (ResidencyInline, ServiceLogInline)

    @admin.display(description=_("contact phone"))
    def phone(self, obj: Incubatee) -> str:
        return mask_phone(obj.contact_phone) if obj.contact_phone else ""


class ClusterMemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClusterMember
    extra = 0
    raw_id_fields = ("organisation",)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "kind", "township", "opened_on")
    inlines = (ClusterMemberInline,)


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "role", "masked_phone", "start", "end")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: TeamMember) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


@admin.register(MilestoneRule)
class MilestoneRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "name", "kind", "threshold", "kinds", "required_for_graduation")


admin.site.register(Programme)
admin.site.register(Cohort)
