"""Admin for the reports app's reference data: the assessment weights (head
office may also edit them here) and the regulator figures; jobs and typical
cases are read-only here."""

from django.contrib import admin

from .models import AssessmentMetric, CaseTag, RegulatorFigures, ReportJob, TypicalCase


@admin.register(AssessmentMetric)
class AssessmentMetricAdmin(admin.ModelAdmin):
    list_display = (
        "metric",
        "weight",
        "formula",
        "points_per_unit",
        "updated_by",
        "updated_at",
    )
    readonly_fields = ("metric", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RegulatorFigures)
class RegulatorFiguresAdmin(admin.ModelAdmin):
    list_display = (
        "company",
        "period_key",
        "premium",
        "policies",
        "insured",
        "entered_by",
        "entered_at",
    )
    list_filter = ("period_kind",)
    search_fields = ("company__name", "company__code", "period_key")


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "company",
        "period_key",
        "status",
        "progress",
        "requested_by",
        "created_at",
    )
    list_filter = ("status", "kind")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TypicalCase)
class TypicalCaseAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "status", "nominated_at")
    list_filter = ("status",)
    search_fields = ("title",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(CaseTag)
