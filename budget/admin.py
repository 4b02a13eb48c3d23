"""Admin for the organisation and the plan's reference data.

Amounts are read-only here: frames, statement amounts and investment amounts
change only through an import (or, later, a decided reallocation), so every
change has one path that records it. Nothing financial can be deleted.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from budget import models
from budget.audit import Actor, Area, History, Scope, Source, field_label, record
from budget.forms import IdsField

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
        history = History(actor=Actor.of(request, Source.ADMIN))
        _audit_form(history, form, obj, created=not change)
        history.write()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        history = History(actor=Actor.of(request, Source.ADMIN))
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


# --- The audit trail: read-only, nothing added, changed or deleted here ------------------


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The history is append-only: the admin shows it and offers nothing else."""

    list_display = ("at", "actor", "action", "area", "object_repr", "field", "source")
    list_filter = ("area", "action", "source")
    search_fields = ("actor", "object_repr", "field", "reason")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Users (django.contrib.auth) ---------------------------------------------------------
# Roles and committees change only under Användare in Budgetuppföljning (budget.accounts),
# where every change is audited with a reason; here they are read-only. New users are
# created there too, so they get the password e-mail. Users are deactivated, never
# deleted: the history refers to them. What may still be changed here (names, e-mail,
# active, staff, password) is written to the audit trail.

User = get_user_model()
USER_FIELDS_AUDITED = ("username", "first_name", "last_name", "email", "is_active", "is_staff")

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personuppgifter", {"fields": ("first_name", "last_name", "email")}),
        (
            "Behörighet",
            {
                "fields": (
                    "roles_and_committees",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = (
        "roles_and_committees",
        "groups",
        "user_permissions",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    filter_horizontal = ()
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")

    @admin.display(description="Roller och nämnder")
    def roles_and_committees(self, obj):
        return format_html(
            '<a href="{}">Roller och nämnder ändras under Användare i Budgetuppföljning</a>',
            reverse("budget:user_edit", kwargs={"pk": obj.pk}),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ("is_active",)  # nobody deactivates themselves (budget.accounts)
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history = History(actor=Actor.of(request, Source.ADMIN))
        for name in USER_FIELDS_AUDITED:
            if name in form.changed_data:
                history.add(
                    obj=obj,
                    action=Action.CHANGED,
                    scope=Scope(area=Area.ACCESS),
                    field_label=field_label(User, name),
                    old=form.initial.get(name),
                    new=form.cleaned_data.get(name),
                )
        history.write()

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            user = self.get_object(request, unquote(id))
            saved = getattr(response, "url", None) == reverse(
                "admin:auth_user_change", args=(getattr(user, "pk", None),)
            )
            if request.method == "POST" and saved:
                record(
                    actor=Actor.of(request, Source.ADMIN),
                    obj=user,
                    action=Action.CHANGED,
                    scope=Scope(area=Area.ACCESS),
                    field_label="lösenord",
                    new="nytt lösenord satt"
                    if user.has_usable_password()
                    else "inloggning med lösenord avstängd",
                )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Django's group form, whose permission ids are checked to fit the id column before the
    permissions are looked up (an absurd integer is a form error, not a database error)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        kwargs.setdefault("form_class", IdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
