"""The reallocation pages' forms: the draft and its lines, the decision, the list filter.

Amounts are typed in tkr as people type them ("−1 207,5") and kept in exact kronor; a
saved line is shown again exactly, so opening and saving a draft never rounds a line.
"""

from decimal import Decimal

from django import forms

from budget import money
from budget.models import BudgetYear
from budget.uploads import UploadRefused, read_limited
from followup.models import Reallocation
from followup.reallocations.workflow import SIGN_HINT, Line
from followup.reports.forms import LongTextField, SwedishAmountField

PROTOCOL_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
ORE = Decimal("0.01")


class ReallocationForm(forms.Form):
    """The draft's text; its lines are a LineFormSet beside it."""

    title = forms.CharField(label="Rubrik", max_length=200)
    kind = forms.ChoiceField(label="Slag", choices=Reallocation.Kind.choices)
    budget_year = forms.ModelChoiceField(
        label="Budgetår som ändras", queryset=BudgetYear.objects.none(), empty_label=None
    )
    purpose = LongTextField(label="Syfte", rows=3)
    funding = LongTextField(
        label="Varifrån pengarna kommer",
        help_text="Varje ökning finansieras av en minskning: ingen underfinansiering.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_year"].queryset = plan.years.filter(
            kind=BudgetYear.Kind.BUDGET, year=plan.year
        ).order_by("year", "id")


class ExactTkrField(SwedishAmountField):
    """Tkr in the form, exact kronor (to the öre) behind it, shown back without rounding."""

    def __init__(self, **kwargs):
        super().__init__(unit="tkr", **kwargs)

    def to_python(self, value):
        kronor = super().to_python(value)
        if kronor is not None and kronor != kronor.quantize(ORE):
            raise forms.ValidationError(
                "Ange beloppet på högst hela ören (högst fem decimaler i tkr).", code="precision"
            )
        return kronor

    def prepare_value(self, value):
        if value is None or value == "" or isinstance(value, str):
            return super().prepare_value(value)
        return exact_tkr(value).replace(money.MINUS, "-")


def exact_tkr(kronor) -> str:
    """Kronor in tkr with every decimal it has ("−1 207,5", "0,4"): never rounded away."""
    tkr = (Decimal(kronor) / money.THOUSAND).normalize()
    return money.format_number(tkr, max(0, -tkr.as_tuple().exponent))


def activity_choices(activities) -> list:
    """The activities grouped by committee, in the committees' order, for a select."""
    groups: dict = {}
    for activity in activities:
        groups.setdefault(activity.committee, []).append((activity.pk, activity.name))
    return [("", "Välj verksamhet"), *((c.name, items) for c, items in groups.items())]


class LineForm(forms.Form):
    """One line: the change of the activity's net frame (negative where it grows)."""

    activity = forms.TypedChoiceField(
        label="Verksamhet", required=False, coerce=int, empty_value=None
    )
    amount = ExactTkrField(label="Belopp (tkr)", required=False)
    note = forms.CharField(label="Kommentar", required=False, max_length=500)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = activities
        self.fields["activity"].choices = activity_choices(activities.values())

    def clean(self):
        data = super().clean()
        activity, amount = data.get("activity"), data.get("amount")
        if activity is None and amount is None and not data.get("note"):
            return data  # a blank row: left out
        if activity is None and "activity" not in self.errors:
            self.add_error("activity", "Välj verksamhet för raden.")
        if amount is None and "amount" not in self.errors:
            self.add_error(
                "amount", f"Ange beloppet i tkr: förändringen av nettoramen. {SIGN_HINT}"
            )
        return data

    def line(self) -> Line | None:
        """The typed line, or None for a blank row (call after validation)."""
        data = self.cleaned_data
        if data.get("activity") is None or data.get("amount") is None:
            return None
        return Line(self.activities[data["activity"]], data["amount"], data.get("note", ""))


def line_formset(*, activities, data=None, initial=(), blank_rows=3):
    """The lines of a draft with ``blank_rows`` empty rows after them."""
    formset_class = forms.formset_factory(
        LineForm, extra=blank_rows, max_num=100, validate_max=True, absolute_max=200
    )
    return formset_class(
        data, initial=list(initial), prefix="rader", form_kwargs={"activities": activities}
    )


def typed_lines(formset) -> list[Line]:
    return [line for form in formset.forms if (line := form.line()) is not None]


class DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label="Beslutsdatum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    paragraph = forms.CharField(
        label="Paragraf", max_length=40, help_text="Som i protokollet, till exempel ”§ 45”."
    )
    protocol = forms.FileField(
        label="Protokollsutdrag (PDF, högst 10 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_protocol(self) -> bytes | None:
        """The extract's bytes: a PDF by its first bytes, whatever its name says."""
        upload = self.cleaned_data.get("protocol")
        if not upload:
            return None
        try:
            data = read_limited(upload, max_bytes=PROTOCOL_MAX_BYTES)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc), code="size") from exc
        if not data.startswith(PDF_MAGIC):
            raise forms.ValidationError(
                "Protokollsutdraget ska vara en PDF-fil; den här filen är inte en PDF.",
                code="not_pdf",
            )
        return data


class StatusFilter(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alla"), *Reallocation.Status.choices],
    )

    def chosen(self) -> str:
        """The chosen status, or "" for all (also when the value is not valid)."""
        return (self.cleaned_data.get("status") or "") if self.is_valid() else ""
