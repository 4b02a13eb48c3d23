"""The budget workbook as a download."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from budget.exports import CONTENT_TYPE, filename, workbook_bytes
from budget.views.pages import plan_for


@permission_required("budget.export_budget", raise_exception=True)
@require_GET
def export_budget(request, year):
    """The plan of ``year`` as an Excel workbook, budget-<year>.xlsx; every role."""
    plan = plan_for(request, year)
    response = HttpResponse(workbook_bytes(plan), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(plan)}"'
    return response
