"""A committee's report as an Excel template: download it, and upload it filled in.

Who may see what follows the report page (``access.report_access``): the download is for
anyone who may see the report; the upload for those who may work on the committee's
report, while it is a draft in an open period.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget import xlsx
from budget.audit import Actor, Source
from budget.views.imports import upload_workbook, workbook_field
from followup.models import ReportingPeriod
from followup.reports.workbook import filename, import_report_workbook, workbook_bytes
from followup.reports.workflow import WorkflowError
from followup.views.access import committee_period, report_access


class ReportWorkbookForm(forms.Form):
    file = workbook_field(
        label="Ifylld rapportmall (.xlsx)",
        help_text=(
            "Mallen som laddats ned från rapportsidan, med de gula cellerna ifyllda. "
            "Filer med makron eller länkar till andra filer tas inte emot."
        ),
    )


def _report_of(request, year, month, code):
    """The plan, committee, period and current report, with the report page's access rules:
    404 for an unknown year, period or committee, 403 for a user who may not see it."""
    plan, period, committee = committee_period(request, year, month, code)
    report, may_work, _ = report_access(request, committee, period)
    return plan, committee, period, report, may_work


@permission_required("followup.view_periods", raise_exception=True)
@require_http_methods(["GET", "HEAD"])
def report_workbook(request, year, month, code):
    """The report as a template prefilled with its figures; 404 while there is no report
    (nobody has started it: the report page's "Starta rapporten" or first save does)."""
    _, _, _, report, _ = _report_of(request, year, month, code)
    if report is None or report.pk is None:
        raise Http404("Det finns ingen rapport för perioden.")
    return xlsx.download(workbook_bytes(report), filename(report))


@permission_required("followup.view_periods", raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_upload(request, year, month, code):
    """GET: the upload form. POST: save the filled-in template, all of it or nothing.

    Problems in the file are listed with status 400; a report that cannot take the file
    now (saved since the download, submitted, period closed) gives status 409.
    """
    plan, committee, period, report, may_work = _report_of(request, year, month, code)
    if not may_work:
        raise PermissionDenied("Du kan inte ändra den här nämndens rapport.")
    back = redirect("followup:report", year=year, month=month, code=code)
    if report is None or report.pk is None:
        messages.error(request, "Det finns ingen rapport att ladda upp till för perioden.")
        return back
    if request.method == "GET" and not report.is_editable:
        status = report.get_status_display().lower()
        messages.error(request, f"Rapporten är {status} och kan inte ändras från Excel.")
        return back
    if request.method == "GET" and period.status != ReportingPeriod.Status.OPEN:
        status = period.get_status_display().lower()
        messages.error(request, f"Perioden är {status}; rapporten kan inte ändras från Excel.")
        return back
    upload = upload_workbook(
        request,
        ReportWorkbookForm,
        lambda fileobj: import_report_workbook(
            report=report, fileobj=fileobj, actor=Actor.of(request, Source.IMPORT)
        ),
        refused=WorkflowError,
        refused_status=409,
    )
    if upload.result is not None:
        messages.success(request, _saved_message(upload.result.changed))
        return back
    return render(
        request,
        "followup/report_upload.html",
        {
            "plan": plan,
            "committee": committee,
            "period": period,
            "report": report,
            "form": upload.form,
            "problems": upload.problems,
            "refusal": upload.refusal,
        },
        status=upload.status,
    )


def _saved_message(changed: int) -> str:
    if changed == 0:
        return "Mallen innehöll inga ändringar; ingenting har sparats."
    what = "ändrad uppgift" if changed == 1 else "ändrade uppgifter"
    return f"Rapporten är uppdaterad från Excel: {changed} {what}. Utkastet är sparat."
