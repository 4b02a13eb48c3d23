"""The statements of a council paper (Resultaträkning, Balansräkning, Kassaflödesanalys):
the plan's statement lines beside the period's figures, read in a fixed number of queries.

- ``result_statement``: the plan's Resultatbudget beside the year's forecast (interim
  report) or outcome (annual accounts). A line's figure is what finance entered for the
  period (``StatementFigure``); without one it is derived where the follow-up has the
  figure, and otherwise missing (never made up):

  - *Verksamhetens nettokostnad*: its budget + the deviations (forecast − budget; in the
    annual accounts outcome − budget) of the committees and of finansförvaltningen's
    lines that no statement line stands for (gemensamma kostnader, avsatt för
    oförutsedda kostnader), so that the statement's result follows the municipality's;
  - a line with the reference "line:<activity code>" (skatteintäkter, generella bidrag,
    finansnetto): finansförvaltningen's forecast (outcome) of that activity, times the
    line's reference sign.

- ``entered_statement``: the balansbudget and the kassaflödesbudget beside what finance
  entered, nothing derived.

Subtotals are not figures here: the workbook writes them as formulas over their component
rows (``StatementRow.components``); ``subtotal_value`` computes the same in Python.
"""

import enum
from dataclasses import dataclass
from decimal import Decimal

from budget.models import Committee, Statement, StatementLine
from budget.money import format_mkr, sum_present
from budget.reports import document
from followup.models import ReportingPeriod, StatementFigure
from followup.reports import figures

NET_COST_LINE = "verksamhetens-nettokostnad"
LINE_REFERENCE = "line:"


class Source(enum.StrEnum):
    ENTERED = "registrerad"  # finance entered the figure for the period
    DERIVED = "härledd"  # from the committees' and finansförvaltningen's reports
    MISSING = "saknas"  # no figure: the cell stays empty
    SUM = "summa"  # a subtotal: a formula over its components


@dataclass(frozen=True)
class StatementRow:
    code: str
    label: str
    kind: str  # amount | subtotal | heading | spacer
    budget: Decimal | None = None  # kronor; for a subtotal the budget's own sum
    figure: Decimal | None = None  # kronor: forecast or outcome (amount rows only)
    source: Source | None = None
    note: str = ""
    components: tuple = ()  # of (row code, sign), for a subtotal

    @property
    def has_figures(self) -> bool:
        return self.kind in ("amount", "subtotal")


@dataclass(frozen=True)
class StatementSheet:
    kind: str
    title: str
    budget_label: str  # "Budget 2026"
    rows: tuple

    def row(self, code) -> StatementRow:
        return next(r for r in self.rows if r.code == code)


def subtotal_value(sheet: StatementSheet, code: str, attribute="figure"):
    """A row's figure as the workbook's formulas compute it: a subtotal is the signed sum
    of its components, and missing (None) when any component is missing."""
    row = sheet.row(code)
    if row.kind != "subtotal":
        return getattr(row, attribute)
    parts = [(subtotal_value(sheet, c, attribute), sign) for c, sign in row.components]
    if attribute == "figure" and any(value is None for value, _ in parts):
        return None
    return sum_present(value * sign for value, sign in parts if value is not None)


def is_outcome(period) -> bool:
    """The annual accounts report the year's outcome; the interim report a forecast."""
    return period.kind == ReportingPeriod.Kind.ANNUAL


def figure_label(period) -> str:
    return "Utfall" if is_outcome(period) else "Prognos"


def missing_text(period) -> str:
    return "Ej registrerat" if is_outcome(period) else "Ej prognostiserad"


def entered_figures(period) -> dict:
    """statement line id → the StatementFigure finance entered for the period."""
    return {f.line_id: f for f in StatementFigure.objects.filter(period=period)}


def _statement_rows(snapshot, kind, figure_for):
    """The statement's rows in order, budget from the plan; ``figure_for(line, budget)``
    gives a row's (figure, source, note)."""
    table = document.statement(snapshot, kind)
    st = snapshot.statement(kind)
    if table is None:
        return None
    main = snapshot.main_year()
    key = None if main is None else main.key
    lines = snapshot.lines_by_statement[st.pk]
    code_of = {line.pk: line.code for line in lines}
    rows = []
    for line, table_row in zip(lines, table.rows, strict=True):
        if line.line_type in (StatementLine.Type.HEADING, StatementLine.Type.SPACER):
            rows.append(StatementRow(code=line.code, label=table_row.label, kind=table_row.kind))
            continue
        budget = None if key is None else table_row.values.get(key)
        if line.line_type == StatementLine.Type.SUBTOTAL:
            _, _, note = figure_for(line, budget)
            rows.append(
                StatementRow(
                    code=line.code,
                    label=line.label,
                    kind="subtotal",
                    budget=budget,
                    source=Source.SUM,
                    note=note,
                    components=tuple(
                        (code_of[cid], sign) for cid, sign in snapshot.components[line.pk]
                    ),
                )
            )
            continue
        figure, source, note = figure_for(line, budget)
        rows.append(
            StatementRow(
                code=line.code,
                label=line.label,
                kind="amount",
                budget=budget,
                figure=figure,
                source=source,
                note=note,
            )
        )
    label = "Budget" if main is None else f"{main.get_kind_display()} {main.year}"
    return StatementSheet(kind=kind, title=st.title, budget_label=label, rows=tuple(rows))


def _entered_or(period, entered, line, budget, otherwise):
    figure = entered.get(line.pk)
    if line.line_type == StatementLine.Type.SUBTOTAL:
        if figure is None:
            return None, Source.SUM, ""
        return (
            None,
            Source.SUM,
            f"Registrerat {format_mkr(figure.amount)} mkr; summan räknas av raderna.",
        )
    if figure is not None:
        return figure.amount, Source.ENTERED, "Registrerat av ekonomiavdelningen."
    return otherwise(line, budget)


def _missing(period):
    def missing(line, budget):
        return None, Source.MISSING, f"{missing_text(period)}."

    return missing


def entered_statement(period, snapshot, entered, kind) -> StatementSheet | None:
    """Balansräkning or kassaflödesanalys: the budget beside what finance entered."""
    return _statement_rows(
        snapshot,
        kind,
        lambda line, budget: _entered_or(period, entered, line, budget, _missing(period)),
    )


def result_statement(period, snapshot, entered, *, rows) -> StatementSheet | None:
    """Resultaträkning: the budget beside the entered, derived or missing figures."""
    st = snapshot.statement(Statement.Kind.RESULT)
    if st is None:
        return None
    derive = Derivation(period, rows=rows, lines=snapshot.lines_by_statement[st.pk])
    return _statement_rows(
        snapshot,
        Statement.Kind.RESULT,
        lambda line, budget: _entered_or(period, entered, line, budget, derive.figure),
    )


class Derivation:
    """A Resultaträkning line's forecast (outcome) from the committees' reports."""

    def __init__(self, period, *, rows, lines):
        self.period = period
        self.referenced = {
            line.reference.removeprefix(LINE_REFERENCE)
            for line in lines
            if line.reference.startswith(LINE_REFERENCE)
        }
        self.outcome = is_outcome(period)
        self.rows = rows
        finance = [r for r in rows if r.committee.kind == Committee.Kind.FINANCE]
        reports = [r.report for r in finance if r.report is not None]
        by_report = figures.reports_figures(period, reports)
        self.finance_lines = {
            line.activity.code: line for report in reports for line in by_report[report.pk].lines
        }

    def value(self, figures_of):
        """Forecast or outcome of a row or line."""
        return figures_of.outcome if self.outcome else figures_of.forecast

    def deviation(self, figures_of):
        value = self.value(figures_of)
        if value is None or figures_of.budget is None:
            return None
        return value - figures_of.budget

    def figure(self, line, budget):
        if line.code == NET_COST_LINE:
            return self.net_cost(budget)
        if line.reference.startswith(LINE_REFERENCE):
            return self.finance_line(line, line.reference.removeprefix(LINE_REFERENCE))
        return None, Source.MISSING, f"{missing_text(self.period)}."

    def finance_line(self, line, code):
        found = self.finance_lines.get(code)
        value = None if found is None else self.value(found)
        what = "utfall" if self.outcome else "prognos"
        if value is None:
            return (
                None,
                Source.MISSING,
                f"{missing_text(self.period)}: finansförvaltningens rapport har "
                f"{'inget utfall' if self.outcome else 'ingen prognos'} för raden.",
            )
        sign = " × −1" if line.reference_sign == -1 else ""
        return (
            value * line.reference_sign,
            Source.DERIVED,
            f"Härledd: finansförvaltningens {what} för {found.activity.name}{sign}.",
        )

    def net_cost(self, budget):
        committees = [r for r in self.rows if r.committee.kind != Committee.Kind.FINANCE]
        committee_deviation = sum_present(self.deviation(r) for r in committees)
        common = [
            f
            for code, f in self.finance_lines.items()
            if code not in self.referenced and self.deviation(f) is not None
        ]
        common_deviation = sum_present(self.deviation(f) for f in common)
        deviation = sum_present([committee_deviation, common_deviation])
        what = "utfall" if self.outcome else "prognos"
        if budget is None or deviation is None:
            return (
                None,
                Source.MISSING,
                f"{missing_text(self.period)}: ingen nämnd har {what} för perioden.",
            )
        parts = [
            f"budget {format_mkr(budget)} mkr",
            f"nämndernas avvikelser ({what} − budget) {format_mkr(committee_deviation or 0)} mkr",
        ]
        if common_deviation:
            names = ", ".join(f.activity.name.lower() for f in common)
            parts.append(
                f"finansförvaltningens avvikelser för {names} {format_mkr(common_deviation)} mkr"
            )
        note = "Härledd: " + " + ".join(parts) + "."
        without = [r.committee.name for r in committees if r.budget and self.deviation(r) is None]
        if without:
            note += f" Utan {what} räknas budgeten för: {', '.join(without)}."
        return budget + deviation, Source.DERIVED, note
