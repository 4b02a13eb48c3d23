from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from budget.admin import NoDeleteAdmin, ReadOnlyAdmin
from followup.models import (
    OutcomeImport,
    OutcomeMapping,
    Reallocation,
    ReallocationLine,
    ReportingPeriod,
)


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


class ReallocationLineInline(admin.TabularInline):
    model = ReallocationLine
    fields = ("activity", "amount", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reallocation)
class ReallocationAdmin(ReadOnlyAdmin):
    """Shown, never changed here: a reallocation is drawn up, decided and applied on its
    pages, through followup.reallocations.workflow, which keeps every one balanced."""

    list_display = ("__str__", "status", "deciding_body", "budget_year", "decided_on")
    list_filter = ("plan", "status", "kind", "deciding_body")
    search_fields = ("title", "decision_paragraph")
    list_select_related = ("plan", "budget_year")
    # The extract is served by its page to those who may see the reallocation, never
    # from MEDIA_URL: the admin links there instead of to the file.
    exclude = ("protocol",)
    readonly_fields = ("protocol_extract",)
    inlines = [ReallocationLineInline]

    @admin.display(description="protokollsutdrag")
    def protocol_extract(self, obj):
        if not obj.protocol:
            return "–"
        url = reverse(
            "followup:reallocation_protocol", kwargs={"year": obj.plan.year, "number": obj.number}
        )
        return format_html('<a href="{}">Protokollsutdrag (PDF)</a>', url)


@admin.register(ReallocationLine)
class ReallocationLineAdmin(ReadOnlyAdmin):
    """Every line, those withdrawn from a draft too."""

    list_display = ("reallocation", "activity", "amount", "withdrawn")
    list_filter = ("withdrawn", "reallocation__plan", "activity__committee")
    list_select_related = ("reallocation__plan", "activity")

    def get_queryset(self, request):
        return ReallocationLine.every_line.all()
