from django.contrib import admin

from .models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "deadline", "status")
    list_filter = ("plan", "kind", "status")

    def has_delete_permission(self, request, obj=None):
        return False
