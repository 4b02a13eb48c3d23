"""The budget workbook as a download."""

from django.contrib.auth.decorators import permission_required
from django.views.decorators.http import require_GET

from budget import xlsx
from budget.exports import filename, workbook_bytes
from budget.views.pages import plan_for


@permission_required("budget.export_budget", raise_exception=True)
@require_GET
def export_budget(request, year):
    """The plan of ``year`` as an Excel workbook, budget-<year>.xlsx; every role."""
    plan = plan_for(request, year)
    return xlsx.download(workbook_bytes(plan), filename(plan))
