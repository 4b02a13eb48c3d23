from django.contrib import admin

from budget.admin import NoDeleteAdmin, ReadOnlyAdmin

from .models import OutcomeImport, OutcomeMapping, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(NoDeleteAdmin):
    list_display = ("__str__", "kind", "deadline", "status")
    list_filter = ("plan", "kind", "status")


@admin.register(OutcomeMapping)
class OutcomeMappingAdmin(NoDeleteAdmin):
    """Finance keeps the mapping of the financial system's objects to activities here."""

    list_display = ("object_code", "name", "dimension", "activity", "municipality")
    list_filter = ("municipality", "dimension", "activity__committee")
    search_fields = ("object_code", "name", "activity__name")
    list_select_related = ("activity", "municipality")


@admin.register(OutcomeImport)
class OutcomeImportAdmin(ReadOnlyAdmin):
    """Each load of outcome, as it was made: shown, never changed."""

    list_display = ("imported_at", "period", "file_name", "file_format", "rows", "total")
    list_filter = ("file_format", "period")
    list_select_related = ("period",)
