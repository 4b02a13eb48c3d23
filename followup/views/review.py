"""Finance's review of a period: every committee's report, deviation and action plan."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget.models import Committee
from budget.money import sum_present
from budget.views.pages import plan_for

from .. import actions
from ..figures import period_overview
from ..models import ReportingPeriod


@permission_required("followup.review_reports", raise_exception=True)
@require_safe
def review(request, year, month):
    plan = plan_for(request, year)
    period = get_object_or_404(ReportingPeriod, plan=plan, month=month)
    committees = (
        Committee.objects.visible_to(request.user)
        .filter(municipality=plan.municipality)
        .prefetch_related("activities")
        .order_by("position", "id")
    )
    rows = period_overview(period, committees)
    today = timezone.localdate()
    total = {
        name: sum_present(getattr(r, name) for r in rows)
        for name in ("budget", "outcome", "forecast", "previous_forecast")
    }
    total["deviation"] = (
        None
        if total["forecast"] is None or total["budget"] is None
        else total["forecast"] - total["budget"]
    )
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
                    "coverage": actions.coverage(r.action_plan, r.deviation),
                }
                for r in rows
            ],
            "total": total,
        },
    )
