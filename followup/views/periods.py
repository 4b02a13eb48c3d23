"""The follow-up calendar: a year's periods and their status."""

from collections import Counter
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budget import roles
from budget.audit import Actor
from budget.models import Committee
from budget.views.pages import plan_for
from followup.entry_forms import refusal_on, sent_version
from followup.models import Report, ReportingPeriod
from followup.periods import record, shown
from followup.periods.calendar import (
    TRANSITIONS,
    CalendarError,
    PeriodError,
    asks_of,
    period_version,
    save_period,
    set_deadline,
    set_period_status,
)
from followup.periods.forms import PeriodForm
from followup.reports.forms import DeadlineForm


@permission_required("followup.view_periods", raise_exception=True)
@require_safe
def periods(request, year):
    plan = plan_for(request, year)
    period_list = list(ReportingPeriod.objects.filter(plan=plan).order_by("month", "id"))
    reports = Report.objects.visible_to(request.user).current().filter(period__plan=plan)
    status = {(r.committee_id, r.period_id): r for r in reports.select_related("committee")}
    own = [
        c
        for c in Committee.objects.of_plan(plan)
        if c.pk in roles.committee_ids(request.user)
        or request.user.has_perm("followup.review_reports")
    ]
    today = timezone.localdate()
    may_review = request.user.has_perm("followup.review_reports")
    corrected = shown.corrected_periods(plan)
    rows = []
    for period in period_list:
        committees = []
        for committee in own:
            report = status.get((committee.pk, period.pk))
            committees.append(
                {
                    "committee": committee,
                    "report": report,
                    "late": period.is_late(report, today=today),
                }
            )
        rows.append(
            {
                "period": period,
                "corrected": period.pk in corrected,
                "committees": committees,
                "summary": _summary(committees) if may_review else None,
                "next_statuses": [
                    s for s in ReportingPeriod.Status if s in TRANSITIONS[period.status]
                ],
                "deadline_form": DeadlineForm(
                    initial={"deadline": period.deadline}, prefix=f"p{period.pk}"
                ),
            }
        )
    return render(
        request,
        "followup/periods.html",
        {
            "plan": plan,
            "rows": rows,
            "can_manage": request.user.has_perm("followup.manage_periods"),
        },
    )


def _summary(committees) -> list[tuple[str, int]]:
    """How many of the period's reports are in each status, and how many are late."""
    counts = Counter(
        c["report"].status_label if c["report"] else "Ingen rapport" for c in committees
    )
    late = sum(1 for c in committees if c["late"])
    return sorted(counts.items()) + ([("Sena", late)] if late else [])


def _period_action(action):
    """Finance's POST on one period: ``action(request, period)`` does it and says how it
    went in a message; the answer is the year's list of periods."""

    @permission_required("followup.manage_periods", raise_exception=True)
    @require_POST
    @wraps(action)
    def view(request, pk):
        period = get_object_or_404(ReportingPeriod, pk=pk)
        action(request, period)
        return redirect("followup:periods", year=period.plan.year)

    return view


@_period_action
def period_status(request, period):
    try:
        set_period_status(
            period=period, status=request.POST.get("status", ""), actor=Actor.of(request)
        )
    except (PeriodError, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, PeriodError) else "Okänd status.")
    else:
        messages.success(request, f"{period} har ändrats.")


@_period_action
def period_deadline(request, period):
    form = DeadlineForm(request.POST, prefix=f"p{period.pk}")
    if not form.is_valid():
        messages.error(request, f"Sista dag för {period} ändrades inte: ange ett datum.")
        return
    try:
        set_deadline(period=period, deadline=form.cleaned_data["deadline"], actor=Actor.of(request))
    except PeriodError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sista dag för {period} är sparad.")


@_period_action
def period_correction(request, period):
    """Finance corrects a published period: a new version of what it shows, with the
    reason (followup.periods.record.correct_record)."""
    try:
        corrected = record.correct_record(
            period=period, reason=request.POST.get("reason", ""), actor=Actor.of(request)
        )
    except record.RecordError as exc:
        messages.error(request, f"{period} rättades inte: {exc}")
        return
    changes = len(corrected.changes)
    messages.success(
        request,
        f"{period} är rättad ({changes} ändrad{'e' if changes != 1 else ''} uppgift"
        f"{'er' if changes != 1 else ''}); sidorna och rapporten visar rättelsen.",
    )


@permission_required("followup.manage_periods", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request, year):
    """Finance adds a period to the year's calendar or changes a planned one; ``?manad=N``
    fills the form with month N as it is."""
    plan = plan_for(request, year)
    period_list = list(ReportingPeriod.objects.filter(plan=plan).order_by("month", "id"))
    chosen = next((p for p in period_list if str(p.month) == request.GET.get("manad")), None)
    initial = {"version": period_version(chosen)}
    if chosen is not None:
        initial |= {
            "month": chosen.month,
            "kind": chosen.kind,
            "content": chosen.content,
            "asks": asks_of(chosen),
            "deadline": chosen.deadline,
        }
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form, CalendarError):
            period, created = save_period(
                plan=plan,
                month=data["month"],
                kind=data["kind"],
                content=data["content"],
                asks=data["asks"],
                deadline=data["deadline"],
                actor=Actor.of(request),
                version=sent_version(form),
            )
            messages.success(request, f"{period} är {'tillagd' if created else 'sparad'}.")
            return redirect("followup:calendar", year=plan.year)
    return render(
        request,
        "followup/calendar.html",
        {"plan": plan, "periods": period_list, "form": form, "chosen": chosen},
    )
