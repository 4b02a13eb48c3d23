"""Admin for the organisation and the plan's reference data.

Amounts are read-only here: frames, statement amounts and investment amounts
change only through an import (or, later, a decided reallocation), so every
change has one path that records it. Nothing financial can be deleted.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from . import models
from .audit import Actor, Area, History, Scope, Source

Action = models.AuditEntry.Action

AREAS = {
    models.Municipality: Area.ORGANISATION,
    models.Administration: Area.ORGANISATION,
    models.Committee: Area.ORGANISATION,
    models.Activity: Area.ORGANISATION,
    models.BudgetPlan: Area.PLAN,
    models.BudgetYear: Area.PLAN,
    models.KeyFact: Area.FACTS,
    models.Company: Area.FACTS,
    models.Goal: Area.GOALS,
    models.Indicator: Area.GOALS,
    models.Membership: Area.ACCESS,
}


def _scope(obj) -> Scope:
    committee = getattr(obj, "committee", None)
    if isinstance(obj, models.Committee):
        committee = obj
    plan = getattr(obj, "plan", None)
    if isinstance(obj, models.BudgetPlan):
        plan = obj
    area = AREAS.get(type(obj), getattr(obj, "audit_area", Area.ORGANISATION))
    return Scope(area=area, plan=plan, committee=committee)


def _label(obj, form, name) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a form-only field
        return str(form.fields[name].label or name)


def _audit_form(history, form, obj, created):
    if created:
        history.add(obj=obj, action=Action.CREATED, scope=_scope(obj), new=str(obj))
        return
    for name in form.changed_data:
        history.add(
            obj=obj,
            action=Action.CHANGED,
            scope=_scope(obj),
            field_label=_label(obj, form, name),
            old=form.initial.get(name),
            new=form.cleaned_data.get(name),
        )


class NoDeleteAdmin(admin.ModelAdmin):
    """Nothing is deleted here, and every save is written to the audit trail."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history = History(actor=Actor(user=request.user, source=Source.ADMIN))
        _audit_form(history, form, obj, created=not change)
        history.write()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        history = History(actor=Actor(user=request.user, source=Source.ADMIN))
        for inline_form in formset.forms:
            if inline_form.instance.pk is None or not inline_form.has_changed():
                continue
            created = inline_form.instance in formset.new_objects
            _audit_form(history, inline_form, inline_form.instance, created=created)
        history.write()


class ReadOnlyAdmin(NoDeleteAdmin):
    """Shown, never changed here: amounts change through an import or a decided change."""

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
class MembershipAdmin(ReadOnlyAdmin):
    """Memberships change under Användare (budget.accounts), where they are audited."""

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
