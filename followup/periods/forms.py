"""The calendar's form: a period finance adds or changes (followup.periods.calendar.save_period)."""

from django import forms

from followup.models import ReportingPeriod
from followup.models.calendar import MONTH_NAMES
from followup.periods.calendar import ASK_LABELS


class PeriodForm(forms.Form):
    month = forms.TypedChoiceField(
        label="Månad",
        coerce=int,
        choices=[(m, MONTH_NAMES[m].capitalize()) for m in range(1, 13)],
        help_text="En månad som redan finns ändras; en ny läggs till.",
    )
    kind = forms.ChoiceField(label="Rapport", choices=ReportingPeriod.Kind.choices)
    content = forms.CharField(
        label="Innehåll",
        max_length=200,
        help_text="Till exempel ”Ekonomisk uppföljning med prognos”.",
    )
    asks = forms.MultipleChoiceField(
        label="Nämnderna lämnar",
        choices=ASK_LABELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    deadline = forms.DateField(
        label="Sista dag",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Nämndernas sista dag för rapporten; kan lämnas tom och sättas senare.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)
