"""Finance's analysis of the goals for the interim report and the annual accounts: every
goal with its indicators' trend and a text per goal (entered by finance; read by
councillors, the council secretary and controllers once the period is published)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget import concurrency
from budget.audit import Actor
from budget.forms import row_by_id
from budget.reports import document, indicators
from budget.reports.snapshot import PlanSnapshot
from followup.entry_forms import refusal_on, saved_message, sent_version
from followup.goals.progress import (
    GoalAnalysisError,
    financial_follow_up,
    goals_follow_up,
    save_financial_indicator_value,
    save_goal_analysis,
)
from followup.models import ReportingPeriod
from followup.periods.entry import closed_reason
from followup.reports.forms import LongTextField
from followup.views.access import accounts_page

TEXT_MAX_LENGTH = 20_000


class GoalAnalysisForm(forms.Form):
    """One goal's analysis; the rules are followup/goals/progress.py's (save_goal_analysis)."""

    goal = forms.IntegerField(widget=forms.HiddenInput)
    text = LongTextField(
        label="Analys",
        max_length=TEXT_MAX_LENGTH,
        rows=6,
        help_text="Ekonomiavdelningens analys av målet för perioden, utifrån nyckeltalens "
        "trend. Varje ändring sparas i historiken.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


@permission_required("followup.view_balance", raise_exception=True)
@require_http_methods(["GET", "POST"])
def goal_analysis(request, year, month):
    plan, period, may_enter = accounts_page(request, year, month, "Målanalysen")
    follow_up = goals_follow_up(plan, period=period)
    by_pk = {g.goal.pk: g for g in follow_up}
    posted = None  # (goal pk, bound form) of a refused save
    entered_error = ""
    if request.method == "POST" and "nyckeltal" in request.POST:
        saved, entered_error = _save_entered(request, plan, period)
        if saved:
            return redirect(f"{request.path}#finansiella")
    elif request.method == "POST":
        form = GoalAnalysisForm(request.POST)
        if form.is_valid() and form.cleaned_data["goal"] not in by_pk:
            form.add_error(None, "Målet finns inte i budgeten; ingenting har sparats.")
        if form.is_valid():
            goal = by_pk[form.cleaned_data["goal"]].goal
            with refusal_on(form, GoalAnalysisError):
                _, changed = save_goal_analysis(
                    goal=goal,
                    period=period,
                    text=form.cleaned_data["text"],
                    actor=Actor.of(request),
                    row_version=sent_version(form, "row_version"),
                )
                messages.success(
                    request,
                    saved_message(f"Analysen av mål {goal.number} är sparad", changed),
                )
                return redirect(f"{request.path}#mal-{goal.number}")
        posted = (form.data.get("goal"), form)
    snapshot = PlanSnapshot(plan)
    comparison = document.comparison(snapshot)
    _, budget_rows = indicators.financial_indicators(snapshot, comparison)
    with_financial = {r.indicator.goal_id for r in budget_rows if r.indicator is not None}
    rows = []
    for g in follow_up:
        form = None
        if may_enter:
            if posted and posted[0] == str(g.goal.pk):
                form = posted[1]
            else:
                form = GoalAnalysisForm(
                    initial={
                        "goal": g.goal.pk,
                        "text": g.analysis.text if g.analysis else "",
                        "row_version": concurrency.row_version(g.analysis),
                    },
                )
            form.auto_id = f"id_mal{g.goal.number}_%s"
            form.fields["text"].label = f"Analys av mål {g.goal.number}"
        rows.append((g, form, g.goal.pk in with_financial))
    unplaced = posted[1] if posted and not any(f is posted[1] for _, f, _ in rows) else None
    main = snapshot.main_year()
    return render(
        request,
        "followup/goal_analysis.html",
        {
            "plan": plan,
            "period": period,
            "label": "Utfall" if period.kind == ReportingPeriod.Kind.ANNUAL else "Prognos",
            "goals": rows,
            "unplaced_form": unplaced,
            "may_enter": may_enter,
            "closed": closed_reason(period, Actor.of(request)) if may_enter else "",
            "financial": financial_follow_up(
                period, snapshot, budget_rows=budget_rows, budget_key=main.key if main else None
            ),
            "main": main,
            "entered_error": entered_error,
        },
        status=400 if posted or entered_error else 200,
    )


def _save_entered(request, plan, period) -> tuple[bool, str]:
    """An entered financial indicator typed in per cent ("23,4"): (saved, Swedish error)."""
    from budget.models import FinancialIndicator
    from budget.money import parse_amount

    indicator = row_by_id(
        FinancialIndicator.objects.filter(plan=plan, method=FinancialIndicator.Method.ENTERED),
        request.POST.get("nyckeltal"),
    )
    if indicator is None:
        return False, "Nyckeltalet finns inte eller beräknas ur underlaget; ingenting har sparats."
    try:
        percent = parse_amount(request.POST.get("procent", ""))
    except ValueError as exc:
        return False, f"{indicator.name}: {exc} Ingenting har sparats."
    try:
        _, changed = save_financial_indicator_value(
            indicator=indicator, period=period, value=percent / 100, actor=Actor.of(request)
        )
    except GoalAnalysisError as exc:
        return False, " ".join(exc.messages)
    messages.success(request, saved_message(f"{indicator.name} är sparat", changed))
    return True, ""
