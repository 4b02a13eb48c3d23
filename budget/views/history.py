"""History pages (every role) and the audit log with its Excel export (finance, administrators)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from budget import history, xlsx
from budget.audit import Actor
from budget.exports import audit_log as log_export
from budget.models import Committee
from budget.views.pages import plan_for

can_view_history = permission_required("budget.view_history", raise_exception=True)
can_read_log = permission_required("budget.view_audit_log", raise_exception=True)


@can_view_history
@require_safe
def committee_history(request, year, code):
    plan = plan_for(request, year)
    committee = get_object_or_404(
        Committee.objects.visible_to(request.user).exclude(kind=Committee.Kind.FINANCE),
        municipality=plan.municipality,
        code=code,
    )
    entries = history.committee_entries(plan=plan, committee=committee, user=request.user)
    return render(
        request,
        "budget/history/committee.html",
        {
            "plan": plan,
            "committee": committee,
            "table": history.history_table(request, entries, caption=f"Historik {committee}"),
        },
    )


@can_view_history
@require_safe
def plan_history(request, year):
    plan = plan_for(request, year)
    form = history.PlanHistoryFilter(request.GET or None, user=request.user)
    area = form.area()
    entries = history.plan_entries(plan=plan, user=request.user, area=area)
    area_label = history.Area(area).label if area else None
    return render(
        request,
        "budget/history/plan.html",
        {
            "plan": plan,
            "form": form,
            "area_label": area_label,
            "table": history.history_table(
                request,
                entries,
                caption=f"Historik: {area_label}" if area_label else "Historik",
                exclude=("area",) if area else (),
            ),
        },
    )


def _searched_log(request):
    """The log's form and the entries it selects (none while the search is invalid)."""
    entries = history.log_entries(request.user)
    form = history.AuditLogFilter(request.GET or None, entries=entries)
    if not form.is_bound:
        return form, entries
    if not form.is_valid():
        return form, entries.none()
    return form, form.filter(entries)


def _with_query(url, query):
    """``url`` with the search of ``query`` (its page number dropped)."""
    query = query.copy()
    query.pop("page", None)
    return f"{url}?{query.urlencode()}" if query else url


def _log_page(request, form, entries, *, status=200):
    table = history.history_table(request, entries, caption="Logg")
    table.empty_text = "Inga poster matchar urvalet."
    return render(
        request,
        "budget/history/audit_log.html",
        {
            "form": form,
            "table": table,
            "sort": request.GET.get("sort", ""),
            "export_url": _with_query(reverse("budget:audit_log_export"), request.GET),
        },
        status=status,
    )


@can_read_log
@require_safe
def audit_log(request):
    form, entries = _searched_log(request)
    return _log_page(request, form, entries)


@can_read_log
@require_safe
def audit_log_export(request):
    """The same search as the log page, as an Excel workbook logg-YYYY-MM-DD.xlsx."""
    form, entries = _searched_log(request)
    if form.is_bound and not form.is_valid():
        return _log_page(request, form, entries, status=400)
    now = timezone.now()
    content = log_export.workbook_bytes(
        history.ordered(entries, request.GET.get("sort")),
        description=form.description(),
        generated_at=now,
        generated_by=Actor(user=request.user).label,
    )
    return xlsx.download(content, log_export.filename(timezone.localdate(now)))
