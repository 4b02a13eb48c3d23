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

  Its "Årets resultat" is compared with the municipality's result on the summary
  (``ResultCheck``): the same figure when every line follows the reports.

- ``entered_statement``: the balansbudget and the kassaflödesbudget beside what finance
  entered; only a line that refers to the result statement ("statement:resultatbudget:…":
  Årets resultat, the adjustment for depreciation) is derived from it (``FromResult``).

Beside the year's figure each row has, for the interim report, the outcome from January to
the period's month (entered; otherwise for a "line:" reference finansförvaltningen's
outcome, and for Verksamhetens nettokostnad the committees' outcome less the other cost
lines so far, so that the result so far is the summary's outcome), for both papers last
year's outcome for the same months and the whole year (followup.statements.previous_year),
and finance's note on the line (``remark``).

Subtotals are not figures here: the workbook writes them as formulas over their component
rows (``StatementRow.components``); ``subtotal_value`` computes the same in Python.
"""

import dataclasses
import enum
from dataclasses import dataclass
from decimal import Decimal

from budget.models import Committee, Statement, StatementLine
from budget.money import format_mkr, sum_present
from budget.reports import document
from followup.models import ReportingPeriod, StatementFigure
from followup.reports import figures
from followup.reports.figures import MunicipalityResult
from followup.statements.previous_year import line_outcomes

NET_COST_LINE = "verksamhetens-nettokostnad"
LINE_REFERENCE = "line:"
RESULT_REFERENCE = "total:resultat"  # the result statement's "Årets resultat"


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
    note: str = ""  # where the figure comes from, or that it is missing
    components: tuple = ()  # of (row code, sign), for a subtotal
    to_date: Decimal | None = None  # kronor: outcome January–the period's month (interim)
    previous_to_date: Decimal | None = None  # last year's outcome for the same months
    previous_year: Decimal | None = None  # last year's outcome for the whole year
    remark: str = ""  # finance's note on the line for the period (anmärkning)
    reference: str = ""

    @property
    def has_figures(self) -> bool:
        return self.kind in ("amount", "subtotal")

    @property
    def annotation(self) -> str:
        """What the paper's Anmärkning says: finance's note, then where the figure comes
        from (or that it is missing)."""
        return " ".join(text for text in (self.remark, self.note) if text)


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
    of its components, and missing (None) when any component is missing (the budget's
    sum counts the components it has, as the budget document's does)."""
    row = sheet.row(code)
    if row.kind != "subtotal":
        return getattr(row, attribute)
    parts = [(subtotal_value(sheet, c, attribute), sign) for c, sign in row.components]
    if attribute != "budget" and any(value is None for value, _ in parts):
        return None
    return sum_present(value * sign for value, sign in parts if value is not None)


def is_outcome(period) -> bool:
    """The annual accounts report the year's outcome; the interim report a forecast."""
    return period.kind == ReportingPeriod.Kind.ANNUAL


def figure_label(period) -> str:
    return "Utfall" if is_outcome(period) else "Prognos"


def missing_text(period) -> str:
    return "Ej registrerat" if is_outcome(period) else "Ej prognostiserad"


class EnteredFigures(dict):
    """statement line id → the StatementFigure finance entered for the period, and in
    ``previous`` last year's outcome per line (line id → PreviousOutcome): what finance
    entered, read once for the three statements. ``result`` is the result statement once
    :func:`result_statement` has built it, for the lines of the other two that refer to
    it."""

    def __init__(self, figures: dict, previous: dict):
        super().__init__(figures)
        self.previous = previous
        self.result = None


def entered_figures(period) -> EnteredFigures:
    """statement line id → the StatementFigure finance entered for the period (with last
    year's outcome per line in ``.previous``), in two queries."""
    return EnteredFigures(
        {f.line_id: f for f in StatementFigure.objects.filter(period=period)},
        line_outcomes(period),
    )


def _previous(period, entered) -> dict:
    previous = getattr(entered, "previous", None)
    return line_outcomes(period) if previous is None else previous


def _statement_rows(snapshot, kind, figure_for, *, period, entered, derived=None):
    """The statement's rows in order, budget from the plan; ``figure_for(line, budget)``
    gives a row's (figure, source, note). The outcome so far, last year's outcome and
    finance's note are what finance entered; where one of the first is missing,
    ``derived(line)`` may give it: {attribute: (value, note)}, the note added to the row's."""
    previous = _previous(period, entered)
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
        figure_row = entered.get(line.pk)
        every = {  # what a subtotal and an amount row both carry
            "code": line.code,
            "label": line.label,
            "budget": budget,
            "remark": figure_row.note if figure_row is not None else "",
            "reference": line.reference,
        }
        if line.line_type == StatementLine.Type.SUBTOTAL:
            _, _, note = figure_for(line, budget)
            components = tuple((code_of[cid], sign) for cid, sign in snapshot.components[line.pk])
            rows.append(
                StatementRow(
                    kind="subtotal", source=Source.SUM, note=note, components=components, **every
                )
            )
            continue
        figure, source, note = figure_for(line, budget)
        comparison = _entered_comparison(period, figure_row, previous.get(line.pk))
        if derived is not None and None in comparison.values():
            notes = []
            for name, (value, text) in derived(line).items():
                if comparison.get(name) is None:
                    comparison[name] = value
                    if text and text not in notes:
                        notes.append(text)
            note = " ".join(p for p in (note, *notes) if p)
        rows.append(
            StatementRow(
                kind="amount", figure=figure, source=source, note=note, **comparison, **every
            )
        )
    label = "Budget" if main is None else f"{main.get_kind_display()} {main.year}"
    return StatementSheet(kind=kind, title=st.title, budget_label=label, rows=tuple(rows))


def _entered_comparison(period, figure_row, last_year) -> dict:
    """The outcome so far (the interim report only) and last year's, as entered."""
    return {
        "to_date": _entered_to_date(period, figure_row),
        "previous_to_date": None if last_year is None else last_year.to_date,
        "previous_year": None if last_year is None else last_year.year,
    }


def _entered_to_date(period, figure_row):
    if is_outcome(period) or figure_row is None:
        return None
    return figure_row.outcome_to_date


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


def entered_statement(period, snapshot, entered, kind, *, result=None) -> StatementSheet | None:
    """Balansräkning or kassaflödesanalys: the budget beside what finance entered. A line
    that refers to a line of the result statement ("statement:resultatbudget:<code>":
    Årets resultat, the adjustment for depreciation) has, where nothing is entered, that
    line's figures times its sign: from ``result``, or from the result statement that
    :func:`result_statement` built from the same ``entered`` (``EnteredFigures.result``)."""
    result = result if result is not None else getattr(entered, "result", None)
    from_result = FromResult(period, result, entered)
    return _statement_rows(
        snapshot,
        kind,
        lambda line, budget: _entered_or(period, entered, line, budget, from_result.figure),
        period=period,
        entered=entered,
        derived=from_result.comparison,
    )


class FromResult:
    """A balance or cash-flow line's figures from the result statement's line it refers
    to, as the workbook's formulas compute that line."""

    PREFIX = f"statement:{Statement.Kind.RESULT}:"

    def __init__(self, period, result, entered):
        self.period, self.result, self.entered = period, result, entered

    def _source(self, line):
        if self.result is None or not line.reference.startswith(self.PREFIX):
            return None
        code = line.reference.removeprefix(self.PREFIX)
        return next((r for r in self.result.rows if r.code == code), None)

    def _value(self, line, attribute):
        value = subtotal_value(self.result, self._source(line).code, attribute)
        return None if value is None else value * line.reference_sign

    def _what(self, line) -> str:
        sign = " × −1" if line.reference_sign == -1 else ""
        return f"resultaträkningens {self._source(line).label.lower()}{sign}"

    def figure(self, line, budget):
        value = None if self._source(line) is None else self._value(line, "figure")
        if value is None:
            return _missing(self.period)(line, budget)
        return value, Source.DERIVED, f"Härledd: {self._what(line)}."

    def comparison(self, line) -> dict:
        if self._source(line) is None:
            return {}
        # With the figure derived too, its note says where all of them come from.
        text = f"Utfallen: {self._what(line)}." if line.pk in self.entered else ""
        values = {
            "previous_to_date": (self._value(line, "previous_to_date"), text),
            "previous_year": (self._value(line, "previous_year"), text),
        }
        if not is_outcome(self.period):
            values["to_date"] = (self._value(line, "to_date"), text)
        return {name: pair for name, pair in values.items() if pair[0] is not None}


def result_statement(period, snapshot, entered, *, rows) -> StatementSheet | None:
    """Resultaträkning: the budget beside the entered, derived or missing figures; its
    "Årets resultat" says whether it is the municipality's result on the summary. The
    sheet is kept on ``entered`` (``EnteredFigures.result``) for the balance and cash-flow
    statements' lines that refer to it."""
    st = snapshot.statement(Statement.Kind.RESULT)
    if st is None:
        return None
    lines = snapshot.lines_by_statement[st.pk]
    derive = Derivation(period, rows=rows, lines=lines)
    # The cost lines beside Verksamhetens nettokostnad that no report stands for.
    others = [
        _entered_to_date(period, entered.get(line.pk))
        for line in lines
        if line.line_type == StatementLine.Type.AMOUNT
        and line.code != NET_COST_LINE
        and not line.reference.startswith(LINE_REFERENCE)
    ]

    def derived(line):
        if is_outcome(period):
            return {}
        if line.code == NET_COST_LINE:
            return {"to_date": derive.net_cost_to_date(others)}
        return {"to_date": (derive.to_date(line), "")}

    sheet = _statement_rows(
        snapshot,
        Statement.Kind.RESULT,
        lambda line, budget: _entered_or(period, entered, line, budget, derive.figure),
        period=period,
        entered=entered,
        derived=derived,
    )
    if sheet is None:
        return None
    check = ResultCheck.of(sheet, rows=rows, period=period)
    if check is not None:
        sheet = dataclasses.replace(
            sheet,
            rows=tuple(
                dataclasses.replace(row, note=" ".join(p for p in (row.note, check.text) if p))
                if row.code == check.code
                else row
                for row in sheet.rows
            ),
        )
    if isinstance(entered, EnteredFigures):
        entered.result = sheet
    return sheet


@dataclass(frozen=True)
class ResultCheck:
    """The statement's "Årets resultat" against the municipality's result on the summary
    (the committees' and finansförvaltningen's reports, on the adopted budget: the stated
    result where the document's rows differ from it only by rounding)."""

    code: str
    statement: Decimal | None  # the sheet's result, as its formulas compute it
    municipality: Decimal | None
    what: str  # "prognos" | "utfall"
    rows_sum: Decimal | None = None  # the summary's committee rows, where rounding differs

    @classmethod
    def of(cls, sheet, *, rows, period):
        row = next((r for r in sheet.rows if r.reference == RESULT_REFERENCE), None)
        if row is None or not rows:
            return None
        total = MunicipalityResult.of(rows, target_share=None)
        value = total.outcome if is_outcome(period) else total.forecast
        return cls(
            code=row.code,
            statement=subtotal_value(sheet, row.code),
            municipality=None if value is None else value + total.stated_rounding,
            what="utfall" if is_outcome(period) else "prognos",
            rows_sum=value if total.stated_rounding else None,
        )

    @property
    def text(self) -> str:
        if self.statement is None or self.municipality is None:
            return ""
        shown = format_mkr(self.municipality)
        if self.statement == self.municipality:
            if self.rows_sum is None:
                return f"Samma som kommunens resultat enligt {self.what} på sammanfattningen."
            # The document states a result that its rows miss by rounding: say which.
            return (
                f"Samma som kommunens resultat enligt {self.what} på antagen budget på "
                f"sammanfattningen; summan av nämndernas rader är {format_mkr(self.rows_sum)} "
                "mkr (dokumentets avrundning)."
            )
        return (
            f"Kommunens resultat enligt {self.what} på sammanfattningen är {shown} mkr (på "
            f"antagen budget); skillnaden är {format_mkr(self.statement - self.municipality)} "
            "mkr."
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

    def to_date(self, line):
        """A "line:" reference's outcome so far: finansförvaltningens outcome of that
        activity (the interim report); other lines have none to derive."""
        if self.outcome or not line.reference.startswith(LINE_REFERENCE):
            return None
        found = self.finance_lines.get(line.reference.removeprefix(LINE_REFERENCE))
        if found is None or found.outcome is None:
            return None
        return found.outcome * line.reference_sign

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

    def net_cost_to_date(self, others) -> tuple:
        """Verksamhetens nettokostnad so far, (value, note): the committees' outcome and
        finansförvaltningens outcome of the lines no statement line stands for (as its
        forecast is derived), less the statement's other cost lines so far (``others``,
        avskrivningar: the committees' outcome holds their capital costs), so that the
        statement's result so far is the municipality's outcome on the summary."""
        if any(value is None for value in others):
            return None, ""
        committees = [r for r in self.rows if r.committee.kind != Committee.Kind.FINANCE]
        if not committees or any(r.budget and r.outcome is None for r in committees):
            return None, ""
        committee_outcome = sum_present(r.outcome for r in committees) or Decimal(0)
        common = sum_present(
            f.outcome
            for code, f in self.finance_lines.items()
            if code not in self.referenced and f.outcome is not None
        ) or Decimal(0)
        other_costs = sum(others, Decimal(0))
        parts = [f"nämndernas utfall {format_mkr(committee_outcome)} mkr"]
        if common:
            parts.append(f"finansförvaltningens övriga utfall {format_mkr(common)} mkr")
        note = "Utfallet hittills härlett: " + " + ".join(parts)
        if others:
            note += f" − avskrivningar m.m. hittills {format_mkr(other_costs)} mkr"
        return committee_outcome + common - other_costs, note + "."

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


def period_statements(period, snapshot, *, rows) -> dict:
    """Statement.Kind → StatementSheet: the period's result statement (entered, derived or
    missing) and its balance and cash-flow statements (entered, and the lines that refer
    to the result statement), as the council's paper shows them. ``rows``: the period's
    CommitteeRows (followup.reports.figures.period_overview). A kind the plan has no
    statement of is left out."""
    entered = entered_figures(period)
    sheets = {}
    result = result_statement(period, snapshot, entered, rows=rows)
    if result is not None:
        sheets[Statement.Kind.RESULT] = result
    for kind in (Statement.Kind.BALANCE, Statement.Kind.CASHFLOW):
        sheet = entered_statement(period, snapshot, entered, kind)
        if sheet is not None:
            sheets[kind] = sheet
    return sheets


def figures_by_role(snapshot, sheet) -> dict:
    """StatementLine.Role → the sheet's figure of the line with that role (a subtotal as
    its formula computes it; None where a part is missing): what the financial goals
    (soliditet) are computed from."""
    if sheet is None:
        return {}
    st = snapshot.statement(sheet.kind)
    roles = {line.code: line.role for line in snapshot.lines_by_statement[st.pk] if line.role}
    return {role: subtotal_value(sheet, code) for code, role in roles.items()}
