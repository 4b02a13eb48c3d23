"""A committee's report for a period, and its action plan."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from budget.audit import Actor
from followup.forecasts.proposals import proposals_for
from followup.models import ActionPlan, Report, ReportingPeriod, ReportNote
from followup.reports import actions, report_table
from followup.reports.figures import report_figures
from followup.reports.forms import ReportForm, ReturnForm
from followup.reports.workflow import (
    StaleReport,
    WorkflowError,
    add_note,
    approval_check,
    approve_report,
    correct_report,
    form_lines,
    open_report,
    return_report,
    save_report,
    submit_report,
)
from followup.views.access import committee_period, report_access


@permission_required("followup.view_periods", raise_exception=True)
@require_http_methods(["GET", "POST"])
def report(request, year, month, code):
    plan, period, committee = committee_period(request, year, month, code)
    # A report nobody has started is an unsaved draft: its first save creates it.
    current, may_work, may_review = report_access(request, committee, period)
    url = reverse("followup:report", kwargs={"year": year, "month": month, "code": code})
    if request.method == "POST":
        return _report_post(request, committee, period, current, may_work, may_review, url)
    return _render_report(request, plan, committee, period, current, may_work, may_review)


def _render_report(request, plan, committee, period, current, may_work, may_review, form=None):
    if current is not None:
        # The plan, period and committee are read already: the figures, the action plan and
        # the template use these instead of reading them again.
        period.plan = plan
        current.committee, current.period = committee, period
    figures = report_figures(current) if current is not None else None
    editable = current is not None and current.is_editable and may_work
    if current is not None and form is None:
        # The figures hold the stored values of every line the form shows.
        form = ReportForm(
            initial={"row_version": current.row_version},
            lines=figures.lines,
            asks_forecast=period.asks_forecast,
        )
    # The committee's action plans of the year, with their measures; the one it follows now
    # among them (its coverage and shortfalls count the measures read here).
    action_plans = (
        list(
            ActionPlan.objects.filter(committee=committee, period__plan=plan)
            .select_related("period")
            .prefetch_related("measures")
            .order_by("period__month", "id")
        )
        if current is not None
        else []
    )
    current_plan = (
        _among(actions.plan_for(committee=committee, period=period), action_plans)
        if current is not None
        else None
    )
    deviation = figures.deviation if figures else None
    shortfalls = (
        actions.shortfalls(current_plan, deviation, today=timezone.localdate())
        if editable and current.pk is not None
        else []
    )
    late = period.is_late(current, today=timezone.localdate())
    visible = Report.objects.visible_to(request.user).filter(committee=committee, period=period)
    other_versions = (
        visible.exclude(pk=getattr(current, "pk", None))
        .select_related("approved_by", "submitted_by")
        .prefetch_related("lines__activity")
        .order_by("-version", "id")
    )
    started = current is not None and current.pk is not None
    reviewing = may_review and started and current.status == Report.Status.SUBMITTED
    return render(
        request,
        "followup/report.html",
        {
            "plan": plan,
            "committee": committee,
            "period": period,
            "report": current,
            "figures": figures,
            "form": form,
            "editable": editable,
            "shortfalls": shortfalls,
            "late": late,
            "started": started,
            "thread": ReportNote.objects.thread(committee=committee, period=period).filter(
                report__in=visible
            ),
            "may_note": started
            and (may_work or may_review)
            and period.status != ReportingPeriod.Status.PUBLISHED,
            "approval": (
                approval_check(report=current, user=request.user, municipality=plan.municipality)
                if reviewing
                else None
            ),
            "return_note": (
                current.notes.filter(kind=ReportNote.Kind.RETURN)
                .order_by("-written_at", "-id")
                .first()
                if started and current.status == Report.Status.RETURNED
                else None
            ),
            "current_plan": current_plan,
            "coverage": actions.coverage(current_plan, deviation),
            "may_work": may_work,
            "may_review": may_review,
            "return_form": ReturnForm(),
            "action_plans": action_plans,
            "other_versions": other_versions,
            "rows": (
                report_table.rows(
                    form,
                    figures.lines,
                    editable=editable,
                    period=period,
                    # Proposals only where the controller enters a forecast now.
                    proposals=proposals_for(current) if editable and period.asks_forecast else {},
                )
                if figures
                else ""
            ),
        },
    )


def _among(plan, plans):
    """``plan`` as it is in ``plans`` (with its measures read), when it is there."""
    return next((p for p in plans if plan is not None and p.pk == plan.pk), plan)


def _report_post(request, committee, period, current, may_work, may_review, url):
    action = request.POST.get("action", "")
    if current is None or (current.pk is None and action not in ("spara", "lamna_in", "starta")):
        raise Http404("Rapporten finns inte.")
    try:
        if action == "starta":
            if not may_work:
                raise PermissionDenied("Du kan inte ändra den här nämndens rapport.")
            open_report(committee=committee, period=period, actor=Actor.of(request))
            messages.success(request, "Rapporten är påbörjad som utkast.")
        elif action in ("spara", "lamna_in"):
            if not may_work:
                raise PermissionDenied("Du kan inte ändra den här nämndens rapport.")
            lines = form_lines(committee=committee, report=current)
            form = ReportForm(request.POST, lines=lines, asks_forecast=period.asks_forecast)
            if not form.is_valid():
                messages.error(request, "Rapporten sparades inte: rätta de markerade fälten.")
                return _render_report(
                    request, period.plan, committee, period, current, may_work, may_review, form
                )
            try:
                current = save_report(
                    report=current,
                    row_version=form.cleaned_data["row_version"],
                    values=form.values(),
                    actor=Actor.of(request),
                )
            except StaleReport as exc:
                # The other person's figures are shown beside this user's typed ones.
                messages.error(request, str(exc))
                current, _, _ = report_access(request, committee, period)
                return _render_report(
                    request, period.plan, committee, period, current, may_work, may_review, form
                )
            if action == "lamna_in":
                submit_report(
                    report=current,
                    actor=Actor.of(request),
                    comment=request.POST.get("answer", ""),
                    shortfall_reason=request.POST.get("shortfall_reason", ""),
                )
                messages.success(request, "Rapporten är inlämnad.")
            else:
                messages.success(request, "Utkastet är sparat.")
        elif action == "godkann":
            if not may_review:
                raise PermissionDenied
            approve_report(
                report=current, actor=Actor.of(request), comment=request.POST.get("note", "")
            )
            messages.success(request, "Rapporten är godkänd.")
        elif action == "skicka_tillbaka":
            if not may_review:
                raise PermissionDenied
            return_report(
                report=current, comment=request.POST.get("comment", ""), actor=Actor.of(request)
            )
            messages.success(request, "Rapporten är tillbakaskickad till nämnden.")
        elif action == "anteckning":
            if not (may_work or may_review):
                raise PermissionDenied("Du kan inte skriva i den här rapportens tråd.")
            add_note(report=current, text=request.POST.get("note", ""), actor=Actor.of(request))
            messages.success(request, "Anteckningen är sparad i rapportens tråd.")
        elif action == "ratta":
            if not may_work:
                raise PermissionDenied
            correct_report(
                report=current, actor=Actor.of(request), reason=request.POST.get("reason", "")
            )
            messages.success(request, "En ny version av rapporten är öppnad för rättelse.")
        else:
            messages.error(request, "Okänd åtgärd.")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(_local_path(request, request.POST.get("next", "")) or url)


def _local_path(request, target: str) -> str | None:
    """``target`` when it is a path on this site ("/…", not "//host"), else None.

    Never given to ``redirect()``: it would take a bare word such as "x" for a URL name.
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target
