"""Finance's review of a period: every committee's report, deviation and action plan."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget.models import Committee
from budget.views.pages import plan_for
from followup.models import Report, ReportingPeriod, ReportNote
from followup.periods import shown
from followup.reports import actions
from followup.reports.figures import MunicipalityResult, surplus_target_share
from followup.reports.forms import ReturnForm
from followup.reports.workflow import approval_check


@permission_required("followup.review_reports", raise_exception=True)
@require_safe
def review(request, year, month):
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    committees = Committee.objects.visible_to(request.user).of_plan(plan).with_activities()
    rows = shown.shown_rows(period, committees)
    result = MunicipalityResult.of(
        rows, target_share=shown.shown_target_share(period, live=surplus_target_share(plan))
    )
    today = timezone.localdate()
    threads = {}
    for note in ReportNote.objects.thread(committees=committees, period=period):
        threads.setdefault(note.report.committee_id, []).append(note)
    return render(
        request,
        "followup/review.html",
        {
            "plan": plan,
            "period": period,
            "rows": [
                {
                    "row": r,
                    "late": r.late(today),
                    "deviation": deviation_of(r, period),
                    "coverage": actions.coverage(r.action_plan, r.deviation),
                    "approval": (
                        approval_check(
                            report=r.report, user=request.user, municipality=plan.municipality
                        )
                        if r.report is not None and r.report.status == Report.Status.SUBMITTED
                        else None
                    ),
                    "thread": threads.get(r.committee.pk, []),
                }
                for r in rows
            ],
            "result": result,
            "result_deviation": deviation_of(result, period),
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
