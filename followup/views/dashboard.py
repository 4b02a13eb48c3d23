"""The start page of the follow-up: the municipality's year at a glance, for every role,
with what the role must do next (controllers) or review (finance)."""

from collections import Counter

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget import roles
from budget.models import Committee
from budget.views.pages import plan_for
from followup.dashboard.overview import (
    chart_data,
    dashboard,
    next_steps,
    period_figures,
    visible_periods,
)
from followup.dashboard.tables import DashboardTable, committee_records, committee_table
from followup.models import Report, ReportingPeriod
from followup.periods import shown
from followup.reports import actions
from followup.reports.figures import surplus_target_share
from followup.reports.forms import month_choice
from followup.statements.previous_year import committee_outcomes

can_view = permission_required("followup.view_periods", raise_exception=True)


@can_view
@require_safe
def start(request, year):
    plan = plan_for(request, year)
    month = month_choice(request.GET.get("period"))
    compare = month_choice(request.GET.get("jamfor"))
    board = dashboard(plan=plan, user=request.user, month=month, compare_month=compare)
    context = {
        "plan": plan,
        "board": board,
        "goals": plan.goals.prefetch_related("indicators").order_by("number", "id"),
    }
    if board.current is not None:
        context["corrections"] = shown.corrections(board.period)
        previous = committee_outcomes(board.period)
        records = committee_records(board.current.committee_rows, previous=previous)
        result = board.current.result
        context |= {
            "rows": records,
            "table": committee_table(
                DashboardTable,
                request,
                records=records,
                period=board.period,
                previous=previous,
                label="Avvikelse per nämnd, tabell",
                caption=f"Nämndernas budget, prognos och avvikelse, {board.period.month_name} (mkr)",
                html_id="tabell-avvikelser",
                totals={
                    "committee": result.label,
                    "budget": result.budget,
                    "outcome": result.outcome,
                    "forecast": result.forecast,
                    "deviation": result.deviation,
                },
            ),
            "comparison": _comparison(board) if board.compared else None,
            "charts": chart_data(board),
        }
    context |= _role_panels(request, plan)
    return render(request, "followup/dashboard.html", context)


def _comparison(board):
    """Per committee: the deviation in the chosen period and in the compared one."""
    return [
        {
            "committee": row.committee,
            "now": row.deviation,
            "then": getattr(board.compared.row_of(row.committee), "deviation", None),
        }
        for row in board.current.committee_rows
    ]


def _role_panels(request, plan):
    """Finance: the open period's review status; controllers: what to do next."""
    user = request.user
    open_period = (
        ReportingPeriod.objects.filter(plan=plan, status=ReportingPeriod.Status.OPEN)
        .order_by("month", "id")
        .first()
    )
    panels = {"open_period": open_period}
    if open_period is None:
        return panels
    if roles.is_finance(user):
        statuses = Counter(
            Report.objects.current().filter(period=open_period).values_list("status", flat=True)
        )
        committees = Committee.objects.filter(municipality=plan.municipality).count()
        panels["review_status"] = [
            (label, statuses.get(value, 0))
            for value, label in Report.Status.choices
            if value != Report.Status.SUPERSEDED
        ] + [("Ej påbörjad", committees - sum(statuses.values()))]
    if roles.is_controller(user):
        own = (
            Committee.objects.of_plan(plan)
            .with_activities()
            .filter(pk__in=roles.committee_ids(user))
        )
        figures = period_figures(open_period, own, target_share=surplus_target_share(plan))
        panels["own_rows"] = figures.rows
        panels["next_steps"] = next_steps(
            plan=plan,
            user=user,
            period=open_period,
            rows=figures.rows,
            today=timezone.localdate(),
        )
    return panels


@can_view
@require_safe
def committee_overview(request, year, month, code):
    """Drill-down from the dashboard: a committee's activities, comments and action plan
    in a period the user may follow."""
    plan = plan_for(request, year)
    period = next((p for p in visible_periods(plan, request.user) if p.month == month), None)
    if period is None:
        raise Http404("Perioden är inte publicerad.")
    committee = get_object_or_404(Committee, municipality=plan.municipality, code=code)
    as_shown = shown.shown_committee(period=period, committee=committee, user=request.user)
    figures = as_shown.figures
    return render(
        request,
        "followup/committee_overview.html",
        {
            "plan": plan,
            "period": period,
            "committee": committee,
            "name": as_shown.name,
            "report": as_shown.report,
            "figures": figures,
            "action_plan": as_shown.plan,
            "coverage": actions.coverage(as_shown.plan, figures.deviation if figures else None),
            "corrections": shown.corrections(period),
            "may_open_report": request.user.has_perm("budget.work_on_committee", committee)
            or request.user.has_perm("followup.review_reports"),
        },
    )
