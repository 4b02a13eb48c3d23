"""The budget workbook as a download."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from ..exports import CONTENT_TYPE, filename, workbook_bytes
from .pages import plan_for


@require_GET
def export_budget(request, year):
    """The plan of ``year`` as an Excel workbook, budget-<year>.xlsx; any signed-in user."""
    plan = plan_for(year)
    response = HttpResponse(workbook_bytes(plan), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(plan)}"'
    return response
