"""A reallocation from Excel: the blank template for a year, and the upload of a filled one.

For those who may draw up reallocations (``followup.draw_up_reallocation``: finance, and a
controller within their own committee, which ``save_draft`` enforces line by line). The
upload saves a draft through ``save_draft``, like the pages, so an unbalanced file is
refused and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from budget import xlsx
from budget.audit import Actor, Source
from budget.views.imports import BudgetWorkbookForm
from budget.views.pages import plan_for
from followup.models import Reallocation
from followup.reallocations.workbook import (
    BudgetWorkbookError,
    filename,
    import_reallocation_workbook,
    template_bytes,
)
from followup.reallocations.workflow import ReallocationError


class ReallocationWorkbookForm(BudgetWorkbookForm):
    """The budget import's file field, with this template's label and help."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Ifylld omfördelningsmall (.xlsx)"
        self.fields["file"].help_text = (
            "Mallen för året, med omfördelningens uppgifter och rader ifyllda. Filer med "
            "makron eller länkar till andra filer tas inte emot."
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
    problems, refusal, status = [], "", 200
    if request.method == "GET":
        form = ReallocationWorkbookForm()
    else:
        form = ReallocationWorkbookForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_reallocation_workbook(
                    plan=plan,
                    fileobj=form.cleaned_data["file"],
                    actor=Actor.of(request, Source.IMPORT),
                )
            except BudgetWorkbookError as exc:
                problems, status = exc.problems, 400
            except ReallocationError as exc:
                refusal, status = str(exc), 400
            else:
                messages.success(request, saved_message(result.reallocation))
                return redirect("followup:reallocations", year=plan.year)
        else:
            status = 400
    return render(
        request,
        "followup/upload_reallocation.html",
        {"plan": plan, "form": form, "problems": problems, "refusal": refusal},
        status=status,
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
