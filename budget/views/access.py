"""Access pages: a controller's own committees, and the administrators' user pages.

Every change of a user goes through budget.accounts, which checks the rules and
writes the audit trail; these views only turn its AccessError into a form error.
"""

from functools import partial

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from budget import accounts, audit, extensions
from budget.audit import Actor, Area, Scope
from budget.concurrency import check_version
from budget.forms import (
    STALE,
    PasswordInvitationForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    access_version,
)
from budget.models import AuditEntry, BudgetPlan, Membership
from budget.reports.snapshot import PlanSnapshot
from budget.roles import Role

User = get_user_model()

can_manage = permission_required("budget.manage_access", raise_exception=True)
HISTORY_LIMIT = 50


def today():
    """The local date; tests replace it to control the clock."""
    return timezone.localdate()


# --- Mina nämnder ----------------------------------------------------------------------


@permission_required("budget.view_my_committees", raise_exception=True)
@require_safe
def my_committees(request):
    committees = [
        m.committee
        for m in Membership.objects.filter(user=request.user)
        .select_related("committee__administration")
        .order_by("committee__position", "committee__id")
    ]
    plan = (
        BudgetPlan.objects.visible_to(request.user)
        .select_related("municipality")
        .order_by("-year", "id")
        .first()
    )
    main, rows = None, []
    if plan is not None:
        snapshot = PlanSnapshot(plan)
        main = snapshot.main_year()
        for committee in committees:
            rows.append(
                {
                    "committee": committee,
                    "url": reverse(
                        "budget:committee", kwargs={"year": plan.year, "code": committee.code}
                    ),
                    "frame": snapshot.committee_frame(committee, main.key) if main else None,
                }
            )
    else:
        rows = [{"committee": c, "url": None, "frame": None} for c in committees]
    return render(
        request,
        "budget/access/my_committees.html",
        {
            "plan": plan,
            "main": main,
            "rows": rows,
            **extensions.context_for(
                "my_committees",
                request=request,
                plan=plan,
                committees=committees,
                today=today(),
            ),
        },
    )


# --- Användare -------------------------------------------------------------------------


class UserTable(tables.Table):
    """The users with their roles and committees: sortable, 25 a page."""

    name = tables.Column(
        verbose_name="Namn",
        accessor="last_name",
        order_by=("last_name", "first_name", "username"),
        empty_values=(),
    )
    username = tables.Column(verbose_name="Användarnamn")
    email = tables.Column(verbose_name="E-post", default="–")
    roles = tables.Column(verbose_name="Roller", empty_values=(), orderable=False)
    committees = tables.Column(verbose_name="Nämnder", empty_values=(), orderable=False)
    is_active = tables.Column(verbose_name="Konto")
    last_login = tables.DateTimeColumn(
        verbose_name="Senast inloggad",
        format="Y-m-d H:i",
        default="Aldrig",
        attrs={"td": {"class": "nowrap"}},
    )

    class Meta:
        attrs = {"class": "table"}
        order_by = ("name",)
        empty_text = "Inga användare motsvarar filtret."

    def render_name(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("budget:user_edit", kwargs={"pk": record.pk}),
            record.get_full_name() or record.username,
        )

    def render_roles(self, record):
        if record.is_superuser:
            return "Alla roller (superanvändare)"
        names = {g.name for g in record.groups.all()}
        return ", ".join(role.value for role in Role if role.value in names) or "–"

    def render_committees(self, record):
        return ", ".join(m.committee.name for m in record.memberships.all()) or "–"

    def render_is_active(self, value, record):
        if not value:
            return format_html('<span class="badge">{}</span>', "Avstängt")
        if record.username in self.locked_out:
            return format_html('<span class="badge">{}</span>', "Spärrad för inloggning")
        return format_html('<span class="badge badge-ok">{}</span>', "Aktivt")

    @cached_property
    def locked_out(self) -> set[str]:
        """The shown users that are locked out of the login (one query for the page)."""
        rows = self.page.object_list if hasattr(self, "page") else self.rows
        return accounts.locked_out(row.record.username for row in rows)


def _users(filters: UserFilterForm):
    users = User.objects.prefetch_related(
        "groups",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("committee").order_by(
                "committee__position", "committee__id"
            ),
        ),
    )
    if filters.is_valid():
        role = filters.cleaned_data["roll"]
        if role:
            users = users.filter(
                Q(is_superuser=True) | Q(pk__in=User.objects.filter(groups__name=role).values("pk"))
            )
        active = filters.cleaned_data["aktiv"]
        if active:
            users = users.filter(is_active=active == "ja")
    return users.order_by("last_name", "first_name", "username", "id")


@can_manage
@require_safe
def users(request):
    filters = UserFilterForm(request.GET)
    table = UserTable(_users(filters))
    table.caption = "Användare"
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "budget/access/users.html", {"table": table, "filters": filters})


def send_password_link(request, user, *, new_account=False) -> bool:
    """E-mail ``user`` a link where they choose a (new) password. Call it after commit."""
    form = PasswordInvitationForm(user=user)
    if not form.is_valid():
        return False
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="budget/access/password_email_subject.txt",
        email_template_name="budget/access/password_email.txt",
        extra_email_context={"new_account": new_account},
    )
    return True


@can_manage
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = accounts.create_user(
                    username=data["username"], **_account_fields(request, data)
                )
                transaction.on_commit(
                    partial(send_password_link, request, user, new_account=True), robust=True
                )
        except accounts.AccessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Användaren {user.get_full_name()} ({user.username}) är skapad. En länk för att "
                f"välja lösenord har skickats till {user.email}.",
            )
            return redirect("budget:users")
    return render(request, "budget/access/user_form.html", {"form": form, "editing": None})


class _Stale(Exception):
    """The user changed after the edit form was shown."""


@can_manage
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    user = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        form = UserEditForm(request.POST)
        if form.is_valid():
            try:
                changes = _update(request, user, form.cleaned_data)
            except _Stale:
                form.add_error(None, STALE)
            except accounts.AccessError as error:
                form.add_error(None, str(error))
            else:
                name = user.get_full_name() or user.username
                if changes:
                    messages.success(
                        request, f"Ändringarna av {name} är sparade ({', '.join(changes)})."
                    )
                else:
                    messages.info(request, f"Inga ändringar att spara för {name}.")
                return redirect("budget:users")
    else:
        form = UserEditForm(initial=UserEditForm.initial_for(user))
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(user.pk),
            area=Area.ACCESS,
        ).order_by("-at", "-id")[: HISTORY_LIMIT + 1]
    )
    return render(
        request,
        "budget/access/user_form.html",
        {
            "form": form,
            "editing": user,
            "entries": entries[:HISTORY_LIMIT],
            "more_entries": len(entries) > HISTORY_LIMIT,
            "history_limit": HISTORY_LIMIT,
            "lockouts": accounts.login_lockouts(user),
        },
    )


@transaction.atomic
def _update(request, user, data) -> list[str]:
    """Save the edit unless the user changed since the form was shown (row locked)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    check_version(shown=data["version"], current=access_version(locked), stale=_Stale)
    return accounts.update_user(
        user=locked, is_active=data["is_active"], **_account_fields(request, data)
    )


def _account_fields(request, data) -> dict:
    """What the create and the edit form both set: name, e-mail, access and the reason."""
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data["email"],
        "roles": data["roles"],
        "committees": list(data["committees"]),
        "actor": Actor.of(request),
        "reason": data["reason"],
    }


@can_manage
@require_http_methods(["POST"])
def user_reset_password(request, pk):
    user = get_object_or_404(User, pk=pk)
    name = user.get_full_name() or user.username
    if not user.is_active:
        messages.error(request, f"{name} har ett avstängt konto. Aktivera kontot först.")
    elif not user.email:
        messages.error(request, f"{name} har ingen e-postadress. Ange en först.")
    else:
        with transaction.atomic():
            audit.record(
                actor=Actor.of(request),
                obj=user,
                action=AuditEntry.Action.CHANGED,
                scope=Scope(area=Area.ACCESS),
                field_label="lösenordsåterställning skickad",
                new=user.email,
            )
            transaction.on_commit(partial(send_password_link, request, user), robust=True)
        messages.success(
            request, f"En länk för att välja nytt lösenord har skickats till {user.email}."
        )
    return redirect("budget:user_edit", pk=user.pk)


@can_manage
@require_http_methods(["POST"])
def user_unlock(request, pk):
    """Lås upp: the user may sign in again at once after too many wrong passwords."""
    user = get_object_or_404(User, pk=pk)
    name = user.get_full_name() or user.username
    if accounts.unlock_login(user=user, actor=Actor.of(request)):
        messages.success(request, f"{name} är upplåst och kan logga in igen.")
    else:
        messages.info(request, f"{name} var inte spärrad för inloggning.")
    return redirect("budget:user_edit", pk=user.pk)
