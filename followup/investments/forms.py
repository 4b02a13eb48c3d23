"""Forms of the investment follow-up: input only, no rules.

Amounts are typed in tkr, as controllers work; the rules (minimum investment, forecast
not below outcome, …) are the domain's (followup/investments/projects.py), whose errors the
views put on these forms' fields.
"""

from django import forms

from budget.models import Committee, InvestmentLine
from budget.rules import InvestmentRule
from followup.entry_forms import ExactAmountField
from followup.investments.projects import PROJECT_FIELDS
from followup.models import CarryOver, InvestmentProject
from followup.reports.forms import LongTextField
from followup.reports.report_table import proposal


class ProjectForm(forms.Form):
    code = forms.CharField(
        label="Projektnummer", max_length=20, help_text="Bokstäver, siffror och bindestreck."
    )
    name = forms.CharField(label="Projekt", max_length=200)
    committee = forms.ModelChoiceField(label="Nämnd", queryset=Committee.objects.none())
    line = forms.ModelChoiceField(
        label="Post i investeringsbudgeten",
        queryset=InvestmentLine.objects.none(),
        required=False,
        empty_label="Ingen",
    )
    description = LongTextField(label="Beskrivning", required=False, rows=3)
    total_budget = ExactAmountField(
        label="Total budget för hela projektet (tkr)",
        help_text="Mindre än kommunens gräns för en investering är driftkostnad.",
    )
    life_years = forms.IntegerField(
        label="Förväntad livslängd (år)",
        min_value=0,
        max_value=200,
        help_text="Kortare än kommunens gräns för en investering är driftkostnad.",
    )
    responsible = forms.CharField(label="Ansvarig", max_length=150)
    status = forms.ChoiceField(label="Status", choices=InvestmentProject.Status.choices)
    reason = LongTextField(
        label="Motivering",
        required=False,
        help_text="Krävs när budget, livslängd eller status ändras. Sparas i historiken.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, years, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        rule = InvestmentRule.for_plan(plan)  # the plan's own limits in the help texts
        if rule is not None:
            self.fields["total_budget"].help_text = rule.help_amount
            self.fields["life_years"].help_text = rule.help_life
        self.fields["committee"].queryset = Committee.objects.of_plan(plan).proper_committees()
        self.fields["line"].queryset = InvestmentLine.objects.filter(plan=plan).order_by(
            "position", "id"
        )
        for year in years:
            self.fields[f"budget_{year}"] = ExactAmountField(
                label=f"Budget {year} (tkr)", required=False
            )
        if project is None:
            del self.fields["reason"]
            del self.fields["row_version"]
            self.fields["status"].initial = InvestmentProject.Status.PLANNED
        else:
            self.fields["committee"].disabled = True

    def project_fields(self):
        """The project's own fields, before the budget per year and the reason."""
        return [
            f
            for f in self.visible_fields()
            if not f.name.startswith("budget_") and f.name != "reason"
        ]

    def budget_fields(self):
        return [self[f"budget_{year}"] for year in self.years]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: (data[name].strip() if isinstance(data[name], str) else data[name])
            for name in PROJECT_FIELDS
        }

    def budgets(self) -> dict:
        return {year: self.cleaned_data.get(f"budget_{year}") for year in self.years}


class FollowUpForm(forms.Form):
    """A period's follow-up of a committee's projects: outcome_<id>, forecast_<id>, comment_<id>.

    ``proposals``: project id → its forecast proposal (followup.forecasts.investments),
    shown below its forecast field; set before the form is shown."""

    def __init__(self, *args, projects, asks_forecast, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        self.proposals = {}
        for project in projects:
            label = f"{project.code} {project.name}"
            self.fields[f"outcome_{project.pk}"] = ExactAmountField(
                label=f"Utfall hittills, {label} (tkr)", required=False
            )
            self.fields[f"forecast_{project.pk}"] = ExactAmountField(
                label=f"Helårsprognos, {label} (tkr)", required=False
            )
            self.fields[f"comment_{project.pk}"] = LongTextField(
                label=f"Kommentar, {label}", required=False
            )
        self.asks_forecast = asks_forecast

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            p.pk: (
                data.get(f"outcome_{p.pk}"),
                data.get(f"forecast_{p.pk}"),
                data.get(f"comment_{p.pk}", ""),
            )
            for p in self.projects
        }

    def rows(self):
        """Per project: the project, its outcome, forecast and comment fields and its
        proposal below the forecast (followup.reports.report_table.proposal), or ""."""
        for project in self.projects:
            forecast = self[f"forecast_{project.pk}"]
            yield (
                project,
                self[f"outcome_{project.pk}"],
                forecast,
                self[f"comment_{project.pk}"],
                self._proposal(project, forecast),
            )

    def _proposal(self, project, forecast) -> str:
        """The project's proposal, and the forecast field described by it after its errors
        (a widget's own aria-describedby replaces Django's)."""
        found = self.proposals.get(project.pk)
        if found is None:
            return ""
        field_id = forecast.auto_id
        described = [f"{field_id}_error"] if forecast.errors else []
        forecast.field.widget.attrs["aria-describedby"] = " ".join(
            [*described, f"{field_id}_proposal"]
        )
        return proposal(
            found,
            field_id=field_id,
            value=forecast.field.prepare_value(found.amount),
            subject=f"{project.code} {project.name}",
        )


class CarryOverForm(forms.Form):
    from_year = forms.TypedChoiceField(label="Outnyttjade medel från år", coerce=int)
    amount = ExactAmountField(label="Belopp att föra över (tkr)")
    reason = LongTextField(
        label="Motivering",
        help_text="Varför medlen behövs nästa år, t.ex. att upphandlingen har försenats.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(plan.year, plan.year), (plan.year - 1, plan.year - 1)]


class DecisionForm(forms.Form):
    """The council's decision on a proposed carry-over."""

    decision = forms.ChoiceField(
        label="Kommunfullmäktiges beslut",
        choices=[
            (CarryOver.Status.DECIDED, "Bifall: medlen förs över"),
            (CarryOver.Status.REJECTED, "Avslag"),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label="Beslutsdatum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    paragraph = forms.CharField(label="Paragraf", max_length=20, help_text="Till exempel § 12.")
