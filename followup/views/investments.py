"""The investment follow-up: the committees' table, a committee's projects, a project.

Reading is open to every role. Finance creates and changes projects, proposes carry-overs
and records KF's decisions on them; a committee's controller (and finance) records the
period's follow-up of the committee's projects. Each view calls one domain function
(followup/investments/projects.py) and shows its errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from budget import xlsx
from budget.audit import Actor
from budget.forms import whole_number
from budget.history import history_table, visible_history
from budget.models import Committee
from budget.views.pages import plan_for
from followup.entry_forms import refusal_on
from followup.forecasts.investments import committee_proposals, investment_proposals
from followup.investments import projects as investments
from followup.investments import workbook as investment_workbook
from followup.investments.figures import follow_up, forecast_periods
from followup.investments.forms import (
    CarryOverForm,
    DecisionForm,
    FollowUpForm,
    ProjectForm,
)
from followup.investments.tables import ProjectTable
from followup.models import (
    CarryOver,
    InvestmentProject,
    ProjectBudget,
    ProjectFollowUp,
    ReportingPeriod,
)
from followup.periods.entry import closed_reason
from followup.reports.report_table import proposal_text

can_view = permission_required("followup.view_periods", raise_exception=True)
can_manage = permission_required("followup.manage_investments", raise_exception=True)


def _period(request, plan):
    """The period chosen with ?period=<month> (a period that asks for a forecast), or None."""
    month = whole_number(request.GET.get("period", ""), low=0, high=10**20)
    if month is None:  # no number at all ("", "abc", "²"): no period chosen
        return None
    return get_object_or_404(ReportingPeriod, plan=plan, month=month, asks_forecast=True)


def _committee(plan, code):
    return get_object_or_404(
        Committee.objects.filter(kind=Committee.Kind.COMMITTEE),
        municipality=plan.municipality,
        code=code,
    )


def _project(request, year, code):
    plan = plan_for(request, year)
    project = get_object_or_404(
        InvestmentProject.objects.visible_to(request.user).select_related("committee", "line"),
        plan=plan,
        code=code,
    )
    return plan, project


@can_view
@require_safe
def investments_page(request, year):
    plan = plan_for(request, year)
    data = follow_up(plan=plan, period=_period(request, plan))
    return render(
        request,
        "followup/investments.html",
        {
            "plan": plan,
            "data": data,
            "demo": InvestmentProject.objects.filter(plan=plan, demo=True).exists(),
            "may_manage": request.user.has_perm("followup.manage_investments"),
        },
    )


@can_view
@require_safe
def investments_export(request, year):
    plan = plan_for(request, year)
    data = follow_up(plan=plan, period=_period(request, plan))
    return xlsx.download(
        investment_workbook.workbook_bytes(data), investment_workbook.filename(data)
    )


@can_view
@require_safe
def investment_committee(request, year, code):
    plan = plan_for(request, year)
    committee = _committee(plan, code)
    data = follow_up(plan=plan, period=_period(request, plan), committee=committee)
    row = data.committees[0] if data.committees else None
    table = ProjectTable(row.projects if row else [], year=plan.year, period=data.period)
    table.caption = f"Investeringsprojekt, {committee.name} (tkr)"
    RequestConfig(request, paginate=False).configure(table)
    proposals = investment_proposals(data) if row else {}
    return render(
        request,
        "followup/investment_committee.html",
        {
            "plan": plan,
            "committee": committee,
            "data": data,
            "row": row,
            "table": table,
            "may_manage": request.user.has_perm("followup.manage_investments"),
            "may_follow_up": request.user.has_perm("followup.follow_up_investments", committee),
            # Each project's forecast proposal, in the table's order.
            "proposals": [
                (f.project, proposal_text(proposals[f.project.pk]))
                for f in (row.projects if row else [])
                if f.project.pk in proposals
            ],
        },
    )


@can_view
@require_safe
def investment_project(request, year, code):
    plan, project = _project(request, year, code)
    return _project_page(request, plan, project)


def _project_page(request, plan, project, *, carry_over_form=None, decision_forms=None, status=200):
    data = follow_up(plan=plan, project=project)
    figures = data.committees[0].projects[0]
    carry_overs = list(
        CarryOver.objects.filter(project=project).select_related(
            "proposed_by", "decision_recorded_by"
        )
    )
    may_manage = request.user.has_perm("followup.manage_investments")
    decision_forms = decision_forms or {}
    for carry_over in carry_overs:
        if may_manage and carry_over.status == CarryOver.Status.PROPOSED:
            carry_over.form = decision_forms.get(
                carry_over.pk, DecisionForm(prefix=f"beslut-{carry_over.pk}")
            )
    follow_ups = list(
        ProjectFollowUp.objects.filter(project=project)
        .select_related("period", "recorded_by")
        .order_by("period__month", "id")
    )
    if carry_over_form is None and may_manage:
        left = investments.unspent(project, plan.year)
        carry_over_form = CarryOverForm(
            plan=plan,
            initial={"from_year": plan.year, "amount": left if left and left > 0 else None},
        )
    return render(
        request,
        "followup/investment_project.html",
        {
            "plan": plan,
            "project": project,
            "figures": figures,
            "period": data.period,
            "budgets": list(ProjectBudget.objects.filter(project=project).order_by("year")),
            "follow_ups": follow_ups,
            "carry_overs": carry_overs,
            "carry_over_form": carry_over_form,
            "may_manage": may_manage,
            "may_follow_up": request.user.has_perm("followup.follow_up_investments", project),
            "forecast_periods": forecast_periods(plan),
            "history": history_table(
                request, _project_history(request.user, project), caption="Projektets historik"
            ),
        },
        status=status,
    )


def _project_history(user, project):
    """Entries about the project, its budget per year, follow-ups and carry-overs."""

    def ids(model):
        return (
            model.objects.filter(project=project)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )

    content_type = ContentType.objects.get_for_model
    own = Q(content_type=content_type(InvestmentProject), object_id=str(project.pk))
    for model in (ProjectBudget, ProjectFollowUp, CarryOver):
        own |= Q(content_type=content_type(model), object_id__in=ids(model))
    return visible_history(user).filter(own).order_by("-at", "-id")


@can_manage
@require_http_methods(["GET", "POST"])
def project_create(request, year):
    plan = plan_for(request, year)
    years = investments.budget_years(plan)
    initial = {}
    committee_code = request.GET.get("namnd")
    if committee_code:
        initial["committee"] = Committee.objects.filter(
            municipality=plan.municipality, code=committee_code
        ).first()
    form = ProjectForm(request.POST or None, plan=plan, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, investments.InvestmentError):
            project = investments.create_project(
                plan=plan,
                committee=form.cleaned_data["committee"],
                values=form.values(),
                budgets=form.budgets(),
                actor=Actor.of(request),
            )
            messages.success(request, f"Projektet {project} är skapat.")
            return redirect("followup:investment_project", year=year, code=project.code)
    return _project_form_page(request, plan, form, project=None)


@can_manage
@require_http_methods(["GET", "POST"])
def project_edit(request, year, code):
    plan, project = _project(request, year, code)
    years = investments.budget_years(plan)
    initial = {
        **{name: getattr(project, name) for name in investments.PROJECT_FIELDS},
        "committee": project.committee,
        "row_version": project.row_version,
        **{f"budget_{b.year}": b.amount for b in project.budgets.all()},
    }
    form = ProjectForm(
        request.POST or None, plan=plan, years=years, project=project, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, investments.InvestmentError):
            changed = investments.update_project(
                project=project,
                values=form.values(),
                budgets=form.budgets(),
                reason=form.cleaned_data.get("reason", ""),
                actor=Actor.of(request),
                row_version=form.cleaned_data.get("row_version"),
            )
            if changed:
                messages.success(request, f"Projektet {project.code} är ändrat.")
            else:
                messages.success(request, "Inget ändrades.")
            code = form.values()["code"] if changed else project.code
            return redirect("followup:investment_project", year=year, code=code)
    return _project_form_page(request, plan, form, project=project)


def _project_form_page(request, plan, form, *, project):
    """A new project's form (``project`` None) or a project's, with its errors (400)."""
    return render(
        request,
        "followup/investment_project_form.html",
        {"plan": plan, "form": form, "project": project},
        status=400 if form.errors else 200,
    )


@can_view
@require_http_methods(["GET", "POST"])
def investment_follow_up(request, year, month, code):
    """The period's follow-up of a committee's projects: its controller and finance."""
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    committee = _committee(plan, code)
    if not request.user.has_perm("followup.follow_up_investments", committee):
        raise PermissionDenied("Du kan inte följa upp nämndens investeringar.")
    projects = list(
        InvestmentProject.objects.filter(plan=plan, committee=committee).order_by("code", "id")
    )
    recorded = {
        f.project_id: f for f in ProjectFollowUp.objects.filter(period=period, project__in=projects)
    }
    initial = {}
    for project in projects:
        f = recorded.get(project.pk)
        if f is not None:
            initial |= {
                f"outcome_{project.pk}": f.outcome,
                f"forecast_{project.pk}": f.forecast,
                f"comment_{project.pk}": f.comment,
            }
    form = FollowUpForm(
        request.POST or None,
        projects=projects,
        asks_forecast=period.asks_forecast,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        # A row left entirely blank, never followed up in the period, is not recorded.
        values = {
            pk: row
            for pk, row in form.values().items()
            if pk in recorded or row != (None, None, "")
        }
        with refusal_on(form, investments.InvestmentError):
            investments.record_follow_ups(
                committee=committee, period=period, values=values, actor=Actor.of(request)
            )
            messages.success(request, f"Uppföljningen för {period.month_name} är sparad.")
            url = reverse("followup:investment_committee", kwargs={"year": year, "code": code})
            return redirect(f"{url}?period={month}" if period.asks_forecast else url)
    closed = closed_reason(period, Actor.of(request))
    if not closed and projects:
        form.proposals = committee_proposals(plan=plan, period=period, committee=committee)
    return render(
        request,
        "followup/investment_follow_up.html",
        {
            "plan": plan,
            "period": period,
            "committee": committee,
            "form": form,
            "closed": closed,
            "missing": [p for p in projects if p.pk not in recorded],
        },
        status=400 if form.errors else 200,
    )


@can_manage
@require_POST
def carry_over_propose(request, year, code):
    plan, project = _project(request, year, code)
    form = CarryOverForm(request.POST, plan=plan)
    if form.is_valid():
        with refusal_on(form, investments.InvestmentError):
            investments.propose_carry_over(
                project=project,
                from_year=form.cleaned_data["from_year"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=Actor.of(request),
            )
            messages.success(request, "Förslaget om överflyttning är registrerat.")
            return redirect("followup:investment_project", year=year, code=code)
    return _project_page(request, plan, project, carry_over_form=form, status=400)


@can_manage
@require_POST
def carry_over_decide(request, year, pk):
    plan = plan_for(request, year)
    carry_over = get_object_or_404(
        CarryOver.objects.select_related("project__committee", "project__line"),
        pk=pk,
        project__plan=plan,
    )
    project = carry_over.project
    if carry_over.status != CarryOver.Status.PROPOSED:
        messages.error(
            request, f"Överflyttningen är redan {carry_over.get_status_display().lower()}."
        )
        return redirect("followup:investment_project", year=year, code=project.code)
    form = DecisionForm(request.POST, prefix=f"beslut-{carry_over.pk}")
    if form.is_valid():
        with refusal_on(form, investments.InvestmentError):
            investments.decide_carry_over(
                carry_over=carry_over,
                approved=form.cleaned_data["decision"] == CarryOver.Status.DECIDED,
                decided_on=form.cleaned_data["decided_on"],
                paragraph=form.cleaned_data["paragraph"],
                actor=Actor.of(request),
            )
            messages.success(request, "Kommunfullmäktiges beslut är registrerat.")
            return redirect("followup:investment_project", year=year, code=project.code)
    return _project_page(request, plan, project, decision_forms={carry_over.pk: form}, status=400)
