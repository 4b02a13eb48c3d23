"""The report form: one row of fields per activity, Swedish number input."""

from decimal import Decimal

from django import forms

from budget import money
from followup.models import Measure


class AmountInput(forms.TextInput):
    """Text input for amounts: a comma must be typeable, so not type=number."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class SwedishAmountField(forms.Field):
    """An amount typed as people in Sweden type it ("1 207,5", "−3,2"; money.parse_amount),
    in a given unit, exact to the öre: more decimals are refused, never rounded."""

    widget = AmountInput

    def __init__(self, *, unit="tkr", **kwargs):
        self.unit = unit
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            number = money.parse_amount(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if abs(number) >= Decimal("1e12"):
            raise forms.ValidationError("Beloppet är orimligt stort.", code="too_large")
        try:
            return money.exact_in_kronor(number, self.unit)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="too_precise") from exc

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return money.format_number(Decimal(value) / money.UNITS[self.unit], 1).replace(
            money.MINUS, "-"
        )


class LongTextField(forms.CharField):
    """A free text (a comment, a reason, a purpose) in a text area of ``rows`` rows; at most
    4000 characters unless ``max_length`` says otherwise."""

    def __init__(self, *, rows=2, max_length=4000, **kwargs):
        # The widget's class, not an instance: an instance is deep-copied for every field,
        # and the report form has one of these per activity.
        super().__init__(max_length=max_length, widget=forms.Textarea, **kwargs)
        self.widget.attrs["rows"] = rows


class ReportForm(forms.Form):
    """Fields per activity: outcome_<id>, forecast_<id>, comment_<id>; plus the row version.

    ``lines``: what the form shows, one per activity, each with its ``activity`` and the
    stored ``outcome``, ``forecast`` and ``comment`` (the report's lines, or the figures'
    lines, followup.reports.figures.LineFigures); unbound, the form shows those values."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, lines, asks_forecast, unit="tkr", **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.asks_forecast = asks_forecast
        amount = SwedishAmountField(unit=unit, required=False)
        comment = LongTextField(required=False)
        for line in lines:
            activity_id, name = line.activity.pk, line.activity.name
            self.fields[f"outcome_{activity_id}"] = _labelled(
                amount, f"Utfall ackumulerat, {name} ({unit})"
            )
            self.initial.setdefault(f"outcome_{activity_id}", line.outcome)
            if asks_forecast:
                self.fields[f"forecast_{activity_id}"] = _labelled(
                    amount, f"Helårsprognos, {name} ({unit})"
                )
                self.initial.setdefault(f"forecast_{activity_id}", line.forecast)
            self.fields[f"comment_{activity_id}"] = _labelled(comment, f"Kommentar, {name}")
            self.initial.setdefault(f"comment_{activity_id}", line.comment)

    def values(self) -> dict:
        """activity id → (outcome, forecast, comment), for followup.reports.workflow.save_report.

        An amount sent back exactly as the form showed it keeps its stored value: the form
        shows tkr with one decimal, and an outcome of −526 400 049,99 kr saved again
        unchanged stays that, instead of becoming −526 400 000 kr."""
        data = self.cleaned_data
        result = {}
        for line in self.lines:
            activity_id = line.activity.pk
            outcome = self._kept(f"outcome_{activity_id}", line.outcome)
            forecast = (
                self._kept(f"forecast_{activity_id}", line.forecast)
                if self.asks_forecast
                else line.forecast
            )
            result[activity_id] = (outcome, forecast, data.get(f"comment_{activity_id}", ""))
        return result

    def _kept(self, name: str, stored):
        """The field's amount; ``stored`` when the text sent is the text shown for it."""
        field = self.fields[name]
        sent = self.data.get(self.add_prefix(name), "")
        if stored is not None and sent.strip() == field.prepare_value(stored):
            return stored
        return self.cleaned_data.get(name)


def _labelled(field, label: str):
    """A copy of ``field`` with its own label. The form's fields of a kind differ only in
    their labels and share the rest (widget, validators, messages), which they only read:
    building each of a few hundred anew was a tenth of the report page's time."""
    labelled = object.__new__(type(field))  # copy.copy, in a third of its time
    labelled.__dict__ = {**field.__dict__, "label": label}
    return labelled


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="Sista dag",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Lämna tomt för att ta bort sista dag.",
    )


class ReturnForm(forms.Form):
    comment = LongTextField(label="Varför skickas rapporten tillbaka?", rows=3)


class MeasureForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = LongTextField(label="Åtgärd", max_length=2000)
    expected_effect = SwedishAmountField(label="Förväntad effekt för året (tkr)")
    responsible = forms.CharField(label="Ansvarig", max_length=150)
    due_date = forms.DateField(label="Klart senast", widget=forms.DateInput(attrs={"type": "date"}))
    # The blank row for a new measure shows "Planerad": with that as the field's initial
    # value an untouched blank row is left out instead of failing as incomplete.
    status = forms.ChoiceField(
        label="Status", choices=Measure.Status.choices, initial=Measure.Status.PLANNED
    )
    realised_effect = SwedishAmountField(label="Uppnådd effekt (tkr)", required=False)
    comment = LongTextField(label="Kommentar", required=False)

    def clean_expected_effect(self):
        value = self.cleaned_data["expected_effect"]
        if value is not None and value < 0:
            raise forms.ValidationError("Ange effekten som ett positivt belopp (förbättring).")
        return value

    def clean_realised_effect(self):
        value = self.cleaned_data["realised_effect"]
        if value is not None and value < 0:
            raise forms.ValidationError(
                "Ange uppnådd effekt som ett positivt belopp (förbättring), 0 om åtgärden inte "
                "har gett något än."
            )
        return value


MeasureFormSet = forms.formset_factory(MeasureForm, extra=1, max_num=50, validate_max=True)


def month_choice(value) -> int | None:
    """A month typed in an address ("?period=8"): 1–12, or None for anything else."""
    try:
        month = int(value)
    except (TypeError, ValueError):
        return None
    return month if 1 <= month <= 12 else None
