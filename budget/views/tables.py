"""django-tables2 tables of the budget pages.

The document's tables (BudgetTable) keep the document's row order, so their
columns are not sortable; lists (committees, control checks) sort and filter.
"""

import django_tables2 as tables
from django.utils.html import format_html

from budget.money import format_mkr, format_number, format_percent

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}


def format_cell(value, unit: str) -> str:
    if value is None:
        return ""
    return format_percent(value) if unit == "procent" else format_mkr(value)


class BudgetValueColumn(tables.Column):
    """One year (or change) column of a document table, with the document's stated
    figure beside the computed one where the two differ."""

    def __init__(self, budget_table, budget_column, **kwargs):
        self.budget_table = budget_table
        self.budget_column = budget_column
        super().__init__(
            verbose_name=budget_column.label,
            accessor=tables.A("row"),
            orderable=False,
            empty_values=(),
            attrs=NUMERIC,
            **kwargs,
        )

    def render(self, value):
        row, key = value, self.budget_column.key
        unit = self.budget_table.cell_unit(row, key)
        shown = format_cell(row.values.get(key), unit)
        if row.kind in ("heading", "spacer"):
            return ""
        if row.values.get(key) is None and row.formulas.get(key) is not None:
            return "–"
        stated = row.stated.get(key)
        if stated is not None and row.values.get(key) is not None:
            from budget.reports.structure import shown_equal

            if not shown_equal(stated, row.values[key], unit):
                return format_html(
                    '{} <span class="flag" title="Dokumentet anger {}">'
                    '<span aria-hidden="true">≠</span>'
                    '<span class="visually-hidden">(dokumentet anger {})</span></span>',
                    shown,
                    format_cell(stated, unit),
                    format_cell(stated, unit),
                )
        return shown


class LabelColumn(tables.Column):
    def render(self, record):
        row = record["row"]
        if row.link:
            return format_html('<a href="{}">{}</a>', row.link, row.label)
        return row.label


def document_table(budget_table, *, caption=None) -> tables.Table:
    """A django-tables2 table that shows a BudgetTable as laid out in the document."""
    extra = [
        (column.key, BudgetValueColumn(budget_table, column)) for column in budget_table.columns
    ]
    data = [{"row": row, "label": row.label} for row in budget_table.rows]
    table = _DocumentTable(data, extra_columns=extra)
    table.caption = caption or budget_table.title
    table.columns["label"].column.verbose_name = budget_table.unit_label
    return table


class _DocumentTable(tables.Table):
    label = LabelColumn(orderable=False, accessor=tables.A("label"))

    class Meta:
        orderable = False
        attrs = {"class": "table budget-table"}
        row_attrs = {"class": lambda record: record["row"].kind}


class CommitteeTable(tables.Table):
    """The committees with their frame for the budget year: sortable."""

    name = tables.Column(verbose_name="Nämnd", linkify=lambda record: record["url"])
    kind = tables.Column(verbose_name="Slag")
    administration = tables.Column(verbose_name="Förvaltning", default="–")
    frame = tables.Column(verbose_name="Ram", attrs=NUMERIC)
    current = tables.Column(verbose_name="Aktuell ram", attrs=NUMERIC)
    change = tables.Column(verbose_name="Förändring mot föregående år", attrs=NUMERIC)
    investments = tables.Column(verbose_name="Investeringar", attrs=NUMERIC)

    class Meta:
        attrs = {"class": "table"}
        order_by = ("position",)
        sequence = ("name", "kind", "administration", "frame", "current", "change", "investments")
        exclude = ()

    position = tables.Column(visible=False)

    def render_frame(self, value):
        return format_mkr(value)

    def render_current(self, value):
        return format_mkr(value)

    def render_change(self, value):
        return format_mkr(value)

    def render_investments(self, value):
        return format_mkr(value)


class ControlTable(tables.Table):
    """Kontroll: each stated or referenced figure beside the computed one."""

    table = tables.Column(verbose_name="Tabell")
    row = tables.Column(verbose_name="Rad")
    column = tables.Column(verbose_name="Kolumn")
    expected_label = tables.Column(verbose_name="Jämförs med")
    shown = tables.Column(verbose_name="I tabellen", attrs=NUMERIC, empty_values=())
    expected = tables.Column(verbose_name="Jämförelsetal", attrs=NUMERIC, empty_values=())
    difference = tables.Column(verbose_name="Differens", attrs=NUMERIC, empty_values=())
    agrees = tables.Column(verbose_name="Status", empty_values=())
    used = tables.Column(verbose_name="Används", empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table"}
        row_attrs = {"class": lambda record: "" if record.agrees else "differs"}

    def render_shown(self, value, record):
        return format_cell(value, record.unit)

    def render_expected(self, value, record):
        return format_cell(value, record.unit)

    def render_difference(self, value, record):
        if value is None:
            return ""
        if record.unit == "procent":
            return format_number(value * 100, 1) + " procentenheter"
        return format_mkr(value)

    def render_agrees(self, value):
        if value:
            return format_html('<span class="badge badge-{}">{}</span>', "ok", "Stämmer")
        return format_html('<span class="badge badge-{}">{}</span>', "warn", "Avviker")
