"""A committee's action plan: measures against a negative forecast, followed up until closed."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget.audit import Actor
from followup.models import Report
from followup.reports import actions
from followup.reports.figures import report_figures
from followup.reports.forms import MeasureFormSet
from followup.views.access import committee_period


@permission_required("followup.view_periods", raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_plan(request, year, month, code):
    plan, period, committee = committee_period(request, year, month, code)
    if not request.user.has_perm("budget.view_committee_drafts", committee):
        raise PermissionDenied("Du har inte behörighet till nämndens åtgärdsplan.")
    may_work = request.user.has_perm("budget.work_on_committee", committee)
    current = actions.plan_for(committee=committee, period=period)
    initial = [
        {name: getattr(m, name) for name in actions.FIELDS} | {"id": m.pk}
        for m in (current.measures.all() if current else [])
    ]
    formset = MeasureFormSet(initial=initial)
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied("Du kan inte ändra nämndens åtgärdsplan.")
        if request.POST.get("action") == "avsluta":
            return _close(request, committee, period)
        formset = MeasureFormSet(request.POST, initial=initial)
        if formset.is_valid():
            try:
                actions.save_measures(
                    committee=committee,
                    period=period,
                    measures=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                    actor=Actor.of(request),
                    summary=request.POST.get("summary", "").strip()[:4000],
                )
            except actions.ActionPlanError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Åtgärdsplanen är sparad.")
                return redirect("followup:report", year=year, month=month, code=code)
        else:
            messages.error(request, "Åtgärdsplanen sparades inte: rätta de markerade fälten.")
    report = (
        Report.objects.visible_to(request.user)
        .filter(committee=committee, period=period)
        .exclude(status=Report.Status.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    deviation = report_figures(report).deviation if report else None
    follow_up_periods, follow_up_rows = actions.follow_up_table(current)
    return render(
        request,
        "followup/action_plan.html",
        {
            "plan": plan,
            "committee": committee,
            "period": period,
            "action_plan": current,
            "formset": formset,
            "may_work": may_work and actions.may_change_plan(committee=committee, period=period),
            "deviation": deviation,
            "coverage": actions.coverage(current, deviation),
            "realised": actions.realised(current),
            "follow_up_periods": follow_up_periods,
            "follow_up_rows": follow_up_rows,
        },
    )


def _close(request, committee, period):
    try:
        actions.close_plan(
            committee=committee,
            period=period,
            actor=Actor.of(request),
            reason=request.POST.get("reason", ""),
        )
    except actions.ActionPlanError as exc:
        messages.error(request, str(exc))
        return redirect(
            "followup:action_plan", year=period.year, month=period.month, code=committee.code
        )
    messages.success(request, "Åtgärdsplanen är avslutad.")
    return redirect("followup:report", year=period.year, month=period.month, code=committee.code)
