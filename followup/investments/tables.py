"""django-tables2 table of a committee's investment projects: sortable, amounts in tkr."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from budget.money import format_tkr
from budget.views.tables import NUMERIC


class AmountColumn(tables.Column):
    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name=verbose_name, attrs=NUMERIC, empty_values=(), **kwargs)

    def render(self, value):
        return format_tkr(value) if value is not None else "–"


class ProjectTable(tables.Table):
    """One row per project (followup.investments.figures.ProjectFigures)."""

    code = tables.Column(verbose_name="Projektnr", accessor="project__code")
    name = tables.Column(verbose_name="Projekt", accessor="project__name")
    status = tables.Column(verbose_name="Status", accessor="project__status")
    total_budget = AmountColumn("Total budget", accessor="project__total_budget")
    budget = AmountColumn("Budget")
    carried = AmountColumn("Överflyttade medel")
    budget_incl = AmountColumn("Budget inkl. överflyttade medel")
    outcome = AmountColumn("Utfall hittills")
    forecast = AmountColumn("Prognos")
    deviation = AmountColumn("Avvikelse")

    class Meta:
        attrs = {"class": "table table-compact"}
        row_attrs = {"class": lambda record: "differs" if record.deviation < 0 else ""}
        empty_text = "Nämnden har inga investeringsprojekt i budgeten."
        order_by = ("code",)

    def __init__(self, data, *, year, period=None, **kwargs):
        super().__init__(data, **kwargs)
        self.year = year
        self.period = period
        self.columns["budget"].column.verbose_name = f"Budget {year}"

    def render_code(self, value, record):
        url = reverse(
            "followup:investment_project", kwargs={"year": self.year, "code": record.project.code}
        )
        return format_html('<a href="{}">{}</a>', url, value)

    def render_status(self, record):
        return record.project.get_status_display()

    def render_forecast(self, value, record):
        if record.estimated:
            return format_html(
                '{}<span class="cell-note">ingen prognos: budgeten</span>', format_tkr(value)
            )
        if record.forecast_period != self.period:  # an older forecast: say from when
            return format_html(
                '{}<span class="cell-note">prognos {}</span>',
                format_tkr(value),
                record.forecast_period.month_name,
            )
        return format_tkr(value)
