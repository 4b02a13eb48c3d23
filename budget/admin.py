"""Admin for the organisation and the plan's reference data.

Amounts are read-only here: frames, statement amounts and investment amounts
change only through an import (or, later, a decided reallocation), so every
change has one path that records it. Nothing financial can be deleted.
"""

from django.contrib import admin

from . import models


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActivityInline(admin.TabularInline):
    model = models.Activity
    fk_name = "committee"
    extra = 0
    fields = ("code", "name", "parent", "tax_base", "position")
    can_delete = False


@admin.register(models.Municipality)
class MunicipalityAdmin(NoDeleteAdmin):
    list_display = ("name", "kolada_id")


@admin.register(models.Administration)
class AdministrationAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "municipality")


@admin.register(models.Committee)
class CommitteeAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "kind", "administration", "position")
    list_filter = ("kind", "municipality")
    search_fields = ("name", "code")
    inlines = [ActivityInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "committee")
    list_filter = ("committee",)
    search_fields = ("user__username", "committee__name")


class BudgetYearInline(admin.TabularInline):
    model = models.BudgetYear
    extra = 0
    fields = ("year", "kind", "status", "note", "position")
    can_delete = False


@admin.register(models.BudgetPlan)
class BudgetPlanAdmin(NoDeleteAdmin):
    list_display = ("title", "municipality", "year", "status")
    inlines = [BudgetYearInline]


@admin.register(models.FrameEntry)
class FrameEntryAdmin(ReadOnlyAdmin):
    list_display = ("activity", "budget_year", "kind", "amount", "decision", "recorded_at")
    list_filter = ("kind", "budget_year__plan", "budget_year", "activity__committee")
    search_fields = ("activity__name", "decision")


@admin.register(models.StatementAmount)
class StatementAmountAdmin(ReadOnlyAdmin):
    list_display = ("line", "budget_year", "amount")
    list_filter = ("line__statement",)


@admin.register(models.InvestmentAmount)
class InvestmentAmountAdmin(ReadOnlyAdmin):
    list_display = ("line", "budget_year", "amount")


@admin.register(models.StatedFigure)
class StatedFigureAdmin(ReadOnlyAdmin):
    list_display = ("table", "row", "budget_year", "value", "unit")
    list_filter = ("table",)


@admin.register(models.KeyFact)
class KeyFactAdmin(NoDeleteAdmin):
    list_display = ("label", "value", "unit", "year")
    readonly_fields = ("code",)


@admin.register(models.Goal)
class GoalAdmin(NoDeleteAdmin):
    list_display = ("number", "title", "plan")


@admin.register(models.Indicator)
class IndicatorAdmin(NoDeleteAdmin):
    list_display = ("name", "goal", "baseline_value", "target_value", "direction")


@admin.register(models.Company)
class CompanyAdmin(NoDeleteAdmin):
    list_display = ("name", "code")
