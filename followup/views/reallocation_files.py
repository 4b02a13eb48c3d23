"""A reallocation from Excel: the blank template for a year, and the upload of a filled one.

For those who may draw up reallocations (``followup.draw_up_reallocation``: finance, and a
controller within their own committee, which ``save_draft`` enforces line by line). The
upload saves a draft through ``save_draft``, like the pages, so an unbalanced file is
refused and nothing is saved.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from budget import xlsx
from budget.audit import Actor, Source
from budget.views.imports import upload_workbook, workbook_field
from budget.views.pages import plan_for
from followup.models import Reallocation
from followup.reallocations.workbook import (
    filename,
    import_reallocation_workbook,
    template_bytes,
)
from followup.reallocations.workflow import ReallocationError


class ReallocationWorkbookForm(forms.Form):
    file = workbook_field(
        label="Ifylld omfördelningsmall (.xlsx)",
        help_text=(
            "Mallen för året, med omfördelningens uppgifter och rader ifyllda. Filer med "
            "makron eller länkar till andra filer tas inte emot."
        ),
    )


@permission_required("followup.draw_up_reallocation", raise_exception=True)
@require_safe
def reallocation_template(request, year):
    """A blank template for the year, listing the plan's committees and activities."""
    plan = plan_for(request, year)
    return xlsx.download(template_bytes(plan), filename(plan))


@permission_required("followup.draw_up_reallocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reallocation_upload(request, year):
    """GET: the upload form. POST: a new draft from the file, or every reason it is not
    saved (status 400)."""
    plan = plan_for(request, year)
    upload = upload_workbook(
        request,
        ReallocationWorkbookForm,
        lambda fileobj: import_reallocation_workbook(
            plan=plan, fileobj=fileobj, actor=Actor.of(request, Source.IMPORT)
        ),
        refused=ReallocationError,
    )
    if upload.result is not None:
        messages.success(request, saved_message(upload.result.reallocation))
        return redirect("followup:reallocations", year=plan.year)
    return render(
        request,
        "followup/upload_reallocation.html",
        {
            "plan": plan,
            "form": upload.form,
            "problems": upload.problems,
            "refusal": upload.refusal,
        },
        status=upload.status,
    )


def saved_message(reallocation) -> str:
    if reallocation.deciding_body == Reallocation.Body.COUNCIL:
        body = "kommunfullmäktige"
    else:
        body = reallocation.deciding_committee.name
    return (
        f"Omfördelning {reallocation.reference} ”{reallocation.title}” är sparad som utkast. "
        f"Den beslutas av {body}."
    )
