"""Council papers to download, in Excel: a period's month report (Månadsrapport), or for
the periods of those kinds the interim report (Delårsrapport) or annual accounts (Årsbokslut).

For finance, councillors and the council secretary (``followup.export_reports``);
controllers follow their own committees' reports on the report pages. A paper of a period
that is not published is marked preliminary; the annual accounts without any outcome are
refused with the reason (409, a page saying why). A published period's paper is the one
stored when it was published, or corrected (followup.periods.record): the paper as sent,
whatever changed since; ``?version=1`` gives the paper as first published.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from budget import roles, xlsx
from budget.forms import whole_number
from budget.views.pages import plan_for
from followup.models import ReportingPeriod
from followup.papers.paper import PaperRefused, filename, workbook_bytes
from followup.periods import shown


@permission_required("followup.export_reports", raise_exception=True)
@require_safe
def month_report(request, year, month):
    """The period's paper as Excel: manadsrapport-2026-10.xlsx, delarsrapport-2026.xlsx or
    arsbokslut-2026.xlsx."""
    plan = plan_for(request, year)
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("plan__municipality"), plan=plan, month=month
    )
    if period.status != ReportingPeriod.Status.PUBLISHED and not roles.is_finance(request.user):
        # Councillors and the secretary read approved reports of published periods only.
        raise Http404("Rapporten finns när perioden är publicerad.")
    kept = shown.recorded_paper(period, version=_version(request))
    if kept is not None:
        name, content = kept
        return xlsx.download(content, name)
    if period.status == ReportingPeriod.Status.PUBLISHED and "version" in request.GET:
        raise Http404("Det finns ingen sådan version av rapporten.")
    try:
        content = workbook_bytes(period)
    except PaperRefused as refused:
        return render(
            request,
            "followup/paper_refused.html",
            {"plan": plan, "period": period, "reason": str(refused)},
            status=409,
        )
    return xlsx.download(content, filename(period))


def _version(request) -> int | None:
    """The version asked for (?version=1: as first published); None: the latest."""
    text = request.GET.get("version", "")
    if not text:
        return None
    version = whole_number(text, low=1, high=999)
    if version is None:
        raise Http404("Det finns ingen sådan version av rapporten.")
    return version
