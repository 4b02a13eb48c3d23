"""The companies' forecast form: input only; the rules are followup/statements/companies.py's."""

from django import forms

from followup.entry_forms import ExactAmountField
from followup.reports.forms import LongTextField


class CompanyForecastForm(forms.Form):
    """result_<id>, comment_<id> per company (tkr; a profit is positive)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = companies
        for company in companies:
            self.fields[f"result_{company.pk}"] = ExactAmountField(
                label=f"Prognostiserat resultat, {company} (tkr)", required=False
            )
            self.fields[f"comment_{company.pk}"] = LongTextField(
                label=f"Kommentar, {company}", required=False
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"result_{c.pk}"), data.get(f"comment_{c.pk}", ""))
            for c in self.companies
        }

    def rows(self):
        for company in self.companies:
            yield company, self[f"result_{company.pk}"], self[f"comment_{company.pk}"]
