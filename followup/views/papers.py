"""Council papers to download, in Excel: a period's month report (Månadsrapport), or for
the periods of those kinds the interim report (Delårsrapport) or annual accounts (Årsbokslut).

For finance, councillors and the council secretary (``followup.export_reports``);
controllers follow their own committees' reports on the report pages.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from budget import roles, xlsx
from budget.views.pages import plan_for
from followup.models import ReportingPeriod
from followup.papers.paper import filename, workbook_bytes


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
    return xlsx.download(workbook_bytes(period), filename(period))
