from django.contrib import admin

from budget.admin import NoDeleteAdmin

from .models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(NoDeleteAdmin):
    list_display = ("__str__", "kind", "deadline", "status")
    list_filter = ("plan", "kind", "status")
