"""Finance's review of a period: every committee's report, deviation and action plan."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget.models import Committee
from budget.views.pages import plan_for
from followup.dashboard.tables import ReviewTable, committee_records, committee_table
from followup.models import Report, ReportingPeriod, ReportNote
from followup.periods import shown
from followup.reports.figures import MunicipalityResult, surplus_target_share
from followup.reports.forms import ReturnForm
from followup.reports.workflow import approval_check
from followup.statements.previous_year import committee_outcomes


@permission_required("followup.review_reports", raise_exception=True)
@require_safe
def review(request, year, month):
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    period.plan = plan  # read once
    committees = list(Committee.objects.visible_to(request.user).of_plan(plan))
    rows = shown.shown_rows(period, committees)
    result = MunicipalityResult.of(
        rows, target_share=shown.shown_target_share(period, live=surplus_target_share(plan))
    )
    today = timezone.localdate()
    threads = {}
    for note in ReportNote.objects.thread(committees=committees, period=period):
        threads.setdefault(note.report.committee_id, []).append(note)
    previous = committee_outcomes(period)
    records = committee_records(
        rows, previous=previous, deviation=lambda r: deviation_of(r, period)
    )
    for record in records:
        r = record["row"]
        record |= {
            "late": r.late(today),
            "approval": (
                approval_check(report=r.report, user=request.user, municipality=plan.municipality)
                if r.report is not None and r.report.status == Report.Status.SUBMITTED
                else None
            ),
            "thread": threads.get(r.committee.pk, []),
        }
    result_deviation = deviation_of(result, period)
    table = committee_table(
        ReviewTable,
        request,
        records=records,
        period=period,
        previous=previous,
        label="Nämndernas rapporter",
        caption="Nämndernas rapporter för perioden",
        hidden_caption=True,
        html_id="tabell-namnder",
        totals={
            "committee": "Kommunen (resultat)" if result.includes_finance else result.label,
            "budget": result.budget,
            "outcome": result.outcome,
            "forecast": result.forecast,
            "deviation": result_deviation,
            "forecast_change": result.forecast_change,
        },
    )
    return render(
        request,
        "followup/review.html",
        {
            "plan": plan,
            "period": period,
            "rows": records,
            "table": table,
            "result": result,
            "result_deviation": result_deviation,
            "corrections": shown.corrections(period),
            "return_form": ReturnForm(),
        },
    )


def deviation_of(figures, period):
    """The deviation the review shows: forecast − budget in a period that asks for a
    forecast; otherwise outcome − budget to date (``Deviations.outcome_deviation``, the
    committee pages' deviation without a forecast), which the overview knows in the year's
    last month only: the annual accounts' outcome − budget."""
    return figures.deviation if period.asks_forecast else figures.outcome_deviation
