"""Reading in a budget from a budget workbook (administrators only)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget.audit import Actor, Source
from budget.exports import layout
from budget.imports import BudgetWorkbookError, import_budget_workbook, summary


class BudgetWorkbookForm(forms.Form):
    file = forms.FileField(
        label="Arbetsbok (.xlsx)",
        help_text=(
            "En Excel-arbetsbok som laddats ned från Budgetuppföljning (”Ladda ned budgeten "
            "i Excel”) och sedan ändrats. Den ska innehålla detaljbladen "
            + ", ".join(f"”{name}”" for name in layout.DETAIL_SHEETS)
            + ". Tabellbladen räknas fram ur detaljbladen och läses inte in. "
            "Filer med makron eller länkar till andra filer tas inte emot."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )


@permission_required("budget.import_budget", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_budget(request):
    """GET: the upload form. POST: check and load the workbook, all of it or nothing."""
    problems = []
    if request.method == "POST":
        form = BudgetWorkbookForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_budget_workbook(
                    form.cleaned_data["file"],
                    actor=Actor.of(request, Source.IMPORT),
                )
            except BudgetWorkbookError as exc:
                problems = exc.problems
            else:
                messages.success(request, summary(result))
                return redirect("budget:overview", year=result.plan.year)
    else:
        form = BudgetWorkbookForm()
    return render(request, "budget/import.html", {"form": form, "problems": problems})
