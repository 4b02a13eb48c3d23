"""Reading in a budget from a budget workbook (administrators only), and the upload of a
workbook that the follow-up's templates share."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget.audit import Actor, Source
from budget.exports import layout
from budget.imports import BudgetWorkbookError, import_budget_workbook, signs, summary
from budget.uploads import upload_field


def workbook_field(*, label, help_text) -> forms.FileField:
    """The file field of a workbook upload: an Excel workbook (.xlsx)."""
    return upload_field(label=label, help_text=help_text, accept=".xlsx")


class BudgetWorkbookForm(forms.Form):
    file = workbook_field(
        label="Arbetsbok (.xlsx)",
        help_text=(
            "En Excel-arbetsbok som laddats ned från Budgetuppföljning (”Ladda ned budgeten "
            "i Excel”) och sedan ändrats. Den ska innehålla detaljbladen "
            + ", ".join(f"”{name}”" for name in layout.DETAIL_SHEETS)
            + ". Tabellbladen räknas fram ur detaljbladen och läses inte in. "
            "Filer med makron eller länkar till andra filer tas inte emot."
        ),
    )
    flip_cost_signs = forms.BooleanField(
        required=False,
        label=signs.OPTION_LABEL,
        help_text=(
            "Välj detta om nämndernas nettokostnader står som positiva belopp i arbetsboken, "
            "som i många kommuners budgetdokument. Då vänds tecknen på nämndernas och "
            "reservernas ramar och på de angivna summorna för nämnderna (Summa nämnder, "
            "Budgetförändring i mkr). Finansförvaltningens rader, budgetställningarna och "
            "investeringarna behåller sina tecken. Utan valet läses en sådan arbetsbok inte in."
        ),
    )


@dataclass
class WorkbookUpload:
    """What an upload page shows: the form, the problems found in the file, the domain's
    refusal and the status; ``result`` is what the load returned once the file is saved."""

    form: forms.Form
    problems: list = field(default_factory=list)
    refusal: str = ""
    status: int = 200
    result: object = None


def upload_workbook(request, form_class, load, *, options=(), refused=(), refused_status=400):
    """GET: a blank ``form_class``. POST: the file checked by the form and loaded with
    ``load(fileobj)``, all of it or nothing; ``options`` names further fields of the form,
    whose values ``load`` gets as keywords. An invalid form and the file's problems
    (BudgetWorkbookError) give status 400; the domain's refusal (``refused``, an exception
    class, which may be a kind of BudgetWorkbookError) gives ``refused_status`` with its
    message."""
    if request.method != "POST":
        return WorkbookUpload(form_class())
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return WorkbookUpload(form, status=400)
    chosen = {name: form.cleaned_data[name] for name in options}
    try:
        return WorkbookUpload(form, result=load(form.cleaned_data["file"], **chosen))
    except refused as exc:
        return WorkbookUpload(form, refusal=str(exc), status=refused_status)
    except BudgetWorkbookError as exc:
        return WorkbookUpload(form, problems=exc.problems, status=400)


@permission_required("budget.import_budget", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_budget(request):
    """GET: the upload form. POST: check and load the workbook, all of it or nothing (the
    page answers 200 with the problems). A workbook whose committees' net costs are printed
    positive is refused with a form error that explains the signs, unless the form asks to
    turn them (budget.imports.signs)."""
    upload = upload_workbook(
        request,
        BudgetWorkbookForm,
        lambda fileobj, flip_cost_signs: import_budget_workbook(
            fileobj, actor=Actor.of(request, Source.IMPORT), flip_cost_signs=flip_cost_signs
        ),
        options=("flip_cost_signs",),
        refused=signs.CostSignsPrintedPositive,
    )
    if upload.result is not None:
        messages.success(request, summary(upload.result))
        return redirect("budget:overview", year=upload.result.plan.year)
    if upload.refusal:
        upload.form.add_error(None, upload.refusal)
    return render(request, "budget/import.html", {"form": upload.form, "problems": upload.problems})
