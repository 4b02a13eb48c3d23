"""The start page of the follow-up: the municipality's year at a glance, for every role,
with what the role must do next (controllers) or review (finance)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget.models import Committee
from budget.views.pages import plan_for
from followup.dashboard.overview import chart_data, dashboard, role_panels, visible_periods
from followup.dashboard.tables import DashboardTable, committee_records, committee_table
from followup.periods import shown
from followup.reports import actions
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
    context |= role_panels(board, request.user, today=timezone.localdate())
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
