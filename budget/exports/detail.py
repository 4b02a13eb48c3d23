"""The detail sheets: everything the plan consists of, in plain rows the import reads.

Each writer returns where it put the figures, so the document sheets can refer to
them with formulas instead of repeating the numbers.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from budget.exports import layout
from budget.exports.layout import MONEY_UNIT, NO, YES, Section
from budget.models import (
    Administration,
    Company,
    CompanyForecast,
    FinancialIndicator,
    Goal,
    Indicator,
    KeyFact,
    Perspective,
    StatedFigure,
    Vision,
)
from budget.reports.ledger import plan_changes
from budget.reports.snapshot import ADOPTED, CURRENT, FRAME_KINDS
from budget.xlsx import (
    BOLD,
    MKR_EXACT_FORMAT,
    NUMBER_FORMAT,
    SECTION_FONT,
    TOP,
    WRAP,
    header_row,
    put_mkr,
    put_number,
    put_text,
    quote_sheet,
)

WRAP_WIDTH = 60  # characters; wider text wraps


@dataclass
class DetailAddresses:
    """Where the detail sheets hold each figure (qualified cell addresses)."""

    frame_sheet: str = layout.FRAMES_SHEET
    frame_columns: dict = field(default_factory=dict)  # column key -> letter
    frame_rows: dict = field(default_factory=dict)  # activity pk -> row
    change_rows: dict = field(default_factory=dict)  # activity pk -> row (if any change)
    lines: dict = field(default_factory=dict)  # (statement kind, line code, key) -> address
    investments: dict = field(default_factory=dict)  # (line code, key) -> address
    sheets: list = field(default_factory=list)  # the detail sheets themselves


class SectionWriter:
    """Writes sections one below the other on a detail sheet."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 1
        self.widths = {}
        self.lines = {}

    def note_width(self, column: int, value):
        if value is None:
            return
        longest = max((len(part) for part in str(value).split("\n")), default=0)
        self.widths[column] = max(self.widths.get(column, 8), min(longest + 2, 60))

    def begin(self, section: Section, year_headers=()):
        if self.row > 1:
            self.row += 1  # a blank row between sections
        put_text(self.ws, self.row, 1, section.title, font=SECTION_FONT)
        self.row += 1
        headers = [*section.headers, *year_headers]
        fixed = len(section.headers)
        header_row(self.ws, self.row, headers, numeric_from=fixed + 1 if year_headers else None)
        for column, header in enumerate(headers, start=1):
            self.note_width(column, header)
        self.header_row = self.row
        self.row += 1

    def text(self, column: int, value, *, wrap=False):
        put_text(self.ws, self.row, column, value, alignment=WRAP if wrap else TOP)
        if wrap and value:
            # Wrapped text in a column at most WRAP_WIDTH wide: the row must be high
            # enough for its lines (spreadsheet programs do not grow it on opening).
            self.note_width(column, str(value)[:WRAP_WIDTH])
            lines = sum(
                max(1, math.ceil(len(part) / WRAP_WIDTH)) for part in str(value).split("\n")
            )
            self.lines[self.row] = max(self.lines.get(self.row, 1), lines)
        else:
            self.note_width(column, value)

    def texts(self, first_column: int, *values):
        """Plain text cells side by side, from ``first_column`` on."""
        for column, value in enumerate(values, start=first_column):
            self.text(column, value)

    def number(self, column: int, value, number_format=NUMBER_FORMAT):
        put_number(self.ws, self.row, column, value, number_format).alignment = TOP
        self.widths[column] = max(self.widths.get(column, 8), 12)

    def amount(self, column: int, kronor):
        put_mkr(self.ws, self.row, column, kronor, MKR_EXACT_FORMAT).alignment = TOP
        self.widths[column] = max(self.widths.get(column, 8), 12)

    def next(self):
        self.row += 1

    def key_value(self, label, value, *, number=False):
        put_text(self.ws, self.row, 1, label, font=BOLD)
        self.note_width(1, label)
        if number:
            self.number(2, value)
        else:
            self.text(2, value, wrap=True)
        self.row += 1

    def finish(self):
        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
        for row, lines in self.lines.items():
            if lines > 1:
                self.ws.row_dimensions[row].height = 15 * lines


def write_detail_sheets(wb, snapshot) -> DetailAddresses:
    addresses = DetailAddresses()
    first = len(wb.worksheets)
    _organisation(wb.create_sheet(layout.ORGANISATION_SHEET), snapshot)
    _frames(wb.create_sheet(layout.FRAMES_SHEET), snapshot, addresses)
    _lines(wb.create_sheet(layout.LINES_SHEET), snapshot, addresses)
    _investments(wb.create_sheet(layout.INVESTMENTS_SHEET), snapshot, addresses)
    _stated(wb.create_sheet(layout.STATED_SHEET), snapshot)
    _facts_and_companies(wb.create_sheet(layout.FACTS_SHEET), snapshot)
    _goals(wb.create_sheet(layout.GOALS_SHEET), snapshot)
    addresses.sheets = wb.worksheets[first:]
    return addresses


def _organisation(ws, snapshot):
    plan = snapshot.plan
    municipality = plan.municipality
    w = SectionWriter(ws)
    w.begin(layout.PLAN)
    values = {
        "municipality": municipality.name,
        "kolada_id": municipality.kolada_id,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "adopted_by": plan.adopted_by,
        "source": plan.source,
        "investment_note": plan.investment_note,
    }
    for key, label in layout.PLAN.columns:
        w.key_value(label, values[key], number=key == "year")
    w.begin(layout.YEARS)
    for y in snapshot.years:
        w.text(1, y.kind)
        w.number(2, y.year)
        w.text(3, y.status)
        w.text(4, y.note, wrap=True)
        w.next()
    w.begin(layout.ADMINISTRATIONS)
    for a in Administration.objects.filter(municipality=municipality).order_by("name", "id"):
        w.texts(1, a.code, a.name)
        w.next()
    w.begin(layout.COMMITTEES)
    for c in snapshot.committees:
        w.texts(1, c.code, c.name, c.kind, c.administration.code if c.administration else "")
        w.text(5, c.description, wrap=True)
        w.next()
    w.begin(layout.STATEMENTS)
    for st in snapshot.statements:
        w.texts(1, st.kind, st.title)
        w.next()
    w.finish()


def frame_column_years(snapshot):
    """Outcome, budget and plan years, and any other year that has a frame."""
    return [
        y
        for y in snapshot.years
        if y.kind in FRAME_KINDS
        or any(snapshot.activity_frame(a, y.key) is not None for a in snapshot.activities)
    ]


def frame_changes(snapshot, activity, key) -> Decimal | None:
    """The decided changes to an activity's frame: current − adopted, or None if none."""
    original = snapshot.activity_frame(activity, key, ADOPTED)
    current = snapshot.activity_frame(activity, key, CURRENT)
    if current is None:
        return None
    change = current - (original or Decimal(0))
    return change if change or original is None else None


def _frames(ws, snapshot, addresses):
    years = frame_column_years(snapshot)
    first_year_column = len(layout.FRAMES.columns) + 1
    addresses.frame_columns = {
        y.key: get_column_letter(first_year_column + i) for i, y in enumerate(years)
    }
    activities = [a for c in snapshot.committees for a in snapshot.activities_by_committee[c.pk]]
    committee_code = {c.pk: c.code for c in snapshot.committees}
    w = SectionWriter(ws)
    w.begin(layout.FRAMES, [layout.year_header(y) for y in years])
    for a in activities:
        addresses.frame_rows[a.pk] = w.row
        w.texts(1, committee_code[a.committee_id], a.code, a.name, YES if a.tax_base else NO)
        for i, y in enumerate(years):
            w.amount(first_year_column + i, snapshot.activity_frame(a, y.key, ADOPTED))
        w.next()
    ws.freeze_panes = ws.cell(row=w.header_row + 1, column=first_year_column)
    changes = {(a.pk, y.key): frame_changes(snapshot, a, y.key) for a in activities for y in years}
    if any(v is not None for v in changes.values()):
        decisions = defaultdict(list)  # activity code -> its decisions, in the order recorded
        for change in plan_changes(snapshot):
            if change.decision and change.decision not in decisions[change.activity_code]:
                decisions[change.activity_code].append(change.decision)
        # The same fixed columns as the frames (layout.FRAME_CHANGES): each year's changes
        # stand under that year's heading, in the column of that year's frames.
        w.begin(layout.FRAME_CHANGES, [layout.year_header(y) for y in years])
        for a in activities:
            addresses.change_rows[a.pk] = w.row
            w.texts(1, committee_code[a.committee_id], a.code, a.name)
            w.text(4, "; ".join(decisions[a.code]))
            for i, y in enumerate(years):
                w.amount(first_year_column + i, changes[(a.pk, y.key)])
            w.next()
    w.finish()


def _lines(ws, snapshot, addresses):
    used = {key for (_, key) in snapshot.statement_amounts}
    years = [y for y in snapshot.years if y.key in used]
    first_year_column = len(layout.LINES.columns) + 1
    sheet = quote_sheet(layout.LINES_SHEET)
    w = SectionWriter(ws)
    w.begin(layout.LINES, [layout.year_header(y) for y in years])
    for st in snapshot.statements:
        lines = snapshot.lines_by_statement[st.pk]
        for line in lines:
            w.texts(1, st.kind, line.code, line.label, line.line_type)
            parts = [
                ("-" if sign == -1 else "") + snapshot.lines_by_id[cid].code
                for cid, sign in snapshot.components[line.pk]
            ]
            w.text(5, ", ".join(parts))
            w.text(6, line.reference)
            w.number(7, line.reference_sign if line.reference else None)
            w.text(8, line.role)
            for i, y in enumerate(years):
                amount = snapshot.statement_amounts.get((line.pk, y.key))
                column = first_year_column + i
                w.amount(column, amount)
                if amount is not None:
                    addresses.lines[(st.kind, line.code, y.key)] = (
                        f"{sheet}!{get_column_letter(column)}{w.row}"
                    )
            w.next()
    ws.freeze_panes = ws.cell(row=w.header_row + 1, column=3)
    w.finish()


def _investments(ws, snapshot, addresses):
    years = snapshot.investment_years()
    first_year_column = len(layout.INVESTMENTS.columns) + 1
    sheet = quote_sheet(layout.INVESTMENTS_SHEET)
    w = SectionWriter(ws)
    w.begin(layout.INVESTMENTS, [layout.year_header(y) for y in years])
    for line in snapshot.investment_lines:
        w.texts(1, line.code, line.name, line.committee.code)
        for i, y in enumerate(years):
            column = first_year_column + i
            amount = snapshot.investment_value(line, y.key)
            w.amount(column, amount)
            if amount is not None:
                addresses.investments[(line.code, y.key)] = (
                    f"{sheet}!{get_column_letter(column)}{w.row}"
                )
        w.next()
    ws.freeze_panes = ws.cell(row=w.header_row + 1, column=first_year_column)
    w.finish()


def _stated(ws, snapshot):
    figures = list(
        StatedFigure.objects.filter(plan=snapshot.plan).select_related("budget_year").order_by("id")
    )
    used = {f.budget_year.key for f in figures}
    years = [y for y in snapshot.years if y.key in used]
    rows = {}  # (table, row) -> (unit, {key: value}), in the order first stated
    for f in figures:
        unit, values = rows.setdefault((f.table, f.row), (f.unit, {}))
        values[f.budget_year.key] = f.value
    first_year_column = len(layout.STATED.columns) + 1
    w = SectionWriter(ws)
    w.begin(layout.STATED, [layout.year_header(y) for y in years])
    for (table, row), (unit, values) in rows.items():
        w.texts(1, table, row)
        money = unit == StatedFigure.Unit.KRONOR
        w.text(3, MONEY_UNIT if money else StatedFigure.Unit.PERCENT)
        for i, y in enumerate(years):
            value = values.get(y.key)
            if money:
                w.amount(first_year_column + i, value)
            else:
                w.number(first_year_column + i, value)
        w.next()
    ws.freeze_panes = ws.cell(row=w.header_row + 1, column=first_year_column)
    w.finish()


def _facts_and_companies(ws, snapshot):
    plan = snapshot.plan
    w = SectionWriter(ws)
    w.begin(layout.FACTS)
    for f in KeyFact.objects.filter(plan=plan).order_by("position", "id"):
        w.texts(1, f.code, f.label)
        if f.unit == KeyFact.Unit.KRONOR:
            w.amount(3, f.value)
            w.text(4, MONEY_UNIT)
        else:
            w.number(3, f.value)
            w.text(4, f.unit)
        w.number(5, f.year)
        w.text(6, f.note, wrap=True)
        w.next()
    w.begin(layout.COMPANIES)
    companies = list(
        Company.objects.filter(municipality=plan.municipality).order_by("position", "id")
    )
    for c in companies:
        w.texts(1, c.code, c.name)
        w.next()
    w.begin(layout.COMPANY_FORECASTS)
    forecasts = CompanyForecast.objects.filter(plan=plan).select_related("company")
    for f in forecasts.order_by("company__position", "company_id", "year", "id"):
        w.text(1, f.company.code)
        w.number(2, f.year)
        w.text(3, f.source)
        w.amount(4, f.amount)
        w.next()
    w.finish()


def _goals(ws, snapshot):
    plan = snapshot.plan
    w = SectionWriter(ws)
    vision = Vision.objects.filter(plan=plan).first()
    w.begin(layout.VISION)
    w.key_value("Rubrik", vision.title if vision else "")
    w.key_value("Text", vision.text if vision else "")
    w.begin(layout.PERSPECTIVES)
    for p in Perspective.objects.filter(plan=plan).order_by("position", "id"):
        w.texts(1, p.code, p.name)
        w.text(3, p.description, wrap=True)
        w.next()
    goals = list(Goal.objects.filter(plan=plan).order_by("number", "id"))
    w.begin(layout.GOALS)
    for g in goals:
        w.number(1, g.number)
        w.text(2, g.title, wrap=True)
        w.text(3, g.description, wrap=True)
        w.next()
    w.begin(layout.INDICATORS)
    indicators = Indicator.objects.filter(goal__plan=plan).select_related("goal")
    for i in indicators.order_by("goal__number", "id"):
        w.number(1, i.goal.number)
        w.texts(2, i.code, i.name)
        w.text(4, i.description, wrap=True)
        w.number(5, i.baseline_value)
        w.number(6, i.baseline_year)
        w.number(7, i.target_value)
        w.number(8, i.target_year)
        w.texts(9, i.direction, i.source)
        w.next()
    w.begin(layout.FINANCIAL_INDICATORS)
    financial = FinancialIndicator.objects.filter(plan=plan).select_related("goal")
    for fi in financial.order_by("position", "id"):
        w.number(1, fi.goal.number if fi.goal else None)
        w.texts(2, fi.code, fi.name, fi.method)
        w.next()
    w.finish()
