"""Reading the detail sheets' sections and cells, collecting every problem on the way."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils import get_column_letter

from budget import money
from budget.exports import layout
from budget.imports.problems import WorkbookProblem
from budget.models import BudgetYear

YEAR_RANGE = {"low": 1900, "high": 2200}
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
# Money is stored in kronor with two decimals: eight decimals of mkr.
MKR_PLACES = Decimal("1e-8")
MAX_MKR = Decimal(10) ** 10  # AmountField holds 16 digits before the decimal point
YES_WORDS = {"ja", "j", "x", "1", "true", "sant", "yes"}
NO_WORDS = {"", "nej", "n", "0", "false", "falskt", "no"}


def max_length(model, name) -> int | None:
    """The database's limit for a text field (None for unlimited text)."""
    return model._meta.get_field(name).max_length


class Uncomputed:
    """A formula cell without a stored result (the file was written by a program that
    does not compute formulas)."""

    def __init__(self, formula: str):
        self.formula = formula


@dataclass
class SectionRows:
    section: layout.Section
    sheet: str
    header_row: int
    rows: list = field(default_factory=list)  # (row number, tuple of values)
    year_columns: list = field(default_factory=list)  # (column index, key)


class Problems:
    def __init__(self):
        self.items = []

    def add(self, sheet, row, column_index, message):
        letter = get_column_letter(column_index + 1) if column_index is not None else ""
        self.items.append(WorkbookProblem(sheet, row, letter, message))

    def __bool__(self):
        return bool(self.items)


def read_sheet_rows(wb_values, wb_formulas, name, *, max_rows, max_columns, on_row=None):
    """All rows of a sheet as tuples, with uncomputed formulas marked. ``on_row()`` is
    called after each row read (the caller's time limit)."""
    on_row = on_row or (lambda: None)
    ws = wb_values[name]
    columns = min(ws.max_column or max_columns, max_columns)
    rows = []
    for row in ws.iter_rows(max_row=max_rows + 1, max_col=columns, values_only=True):
        rows.append(tuple(row))
        on_row()
    if wb_formulas is not None and name in wb_formulas.sheetnames:
        formula_ws = wb_formulas[name]
        for index, row in enumerate(
            formula_ws.iter_rows(max_row=len(rows), max_col=columns, values_only=True)
        ):
            on_row()
            if index >= len(rows):
                break
            values = rows[index]
            if any(isinstance(v, str) and v.startswith("=") for v in row):
                rows[index] = tuple(
                    Uncomputed(f)
                    if (i >= len(values) or values[i] is None)
                    and isinstance(f, str)
                    and f.startswith("=")
                    else (values[i] if i < len(values) else None)
                    for i, f in enumerate(row)
                )
    return rows


def _cell_text(value) -> str:
    if value is None or isinstance(value, Uncomputed):
        return ""
    return str(value).strip()


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_sections(sheet, rows, sections, problems, year_keys) -> dict:
    """The sections of a sheet, by title; problems for missing sections or headers."""
    found = []  # (section, title row index)
    start = 0
    for section in sections:
        index = next(
            (
                i
                for i in range(start, len(rows))
                if rows[i] and _normal(_cell_text(rows[i][0])) == _normal(section.title)
            ),
            None,
        )
        if index is None:
            if section.title not in layout.OPTIONAL_SECTIONS:
                problems.add(
                    sheet, None, None, f"Fel mall: avsnittet ”{section.title}” saknas på bladet."
                )
            continue
        found.append((section, index))
        start = index + 1
    result = {}
    for n, (section, index) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(rows)
        header_index = index + 1
        header = rows[header_index] if header_index < len(rows) else ()
        data = SectionRows(section=section, sheet=sheet, header_row=header_index + 1)
        ok = True
        for i, expected in enumerate(
            () if section.title in layout.UNREAD_SECTIONS else section.headers
        ):
            actual = _cell_text(header[i]) if i < len(header) else ""
            if _normal(actual) != _normal(expected):
                ok = False
                problems.add(
                    sheet,
                    header_index + 1,
                    i,
                    f"Fel mall: kolumnen ska heta ”{expected}”"
                    + (
                        f", inte ”{actual}”." if actual else " (avsnittet ”" + section.title + "”)."
                    ),
                )
        if section.years:
            for i in range(len(section.headers), len(header)):
                text = _cell_text(header[i])
                if not text:
                    continue
                key = parse_year_header(text)
                if key is None:
                    ok = False
                    problems.add(
                        sheet,
                        header_index + 1,
                        i,
                        f"”{text}” är ingen årskolumn; skriv t.ex. ”Budget 2026”.",
                    )
                elif key not in year_keys:
                    ok = False
                    problems.add(
                        sheet,
                        header_index + 1,
                        i,
                        f"Kolumnen ”{text}” finns inte under ”{layout.YEARS.title}” på bladet "
                        f"”{layout.ORGANISATION_SHEET}”.",
                    )
                elif any(k == key for _, k in data.year_columns):
                    ok = False
                    problems.add(sheet, header_index + 1, i, f"Kolumnen ”{text}” finns två gånger.")
                else:
                    data.year_columns.append((i, key))
        if not ok:
            result[section.title] = None
            continue
        for i in range(header_index + 1, end):
            values = rows[i]
            if any(_cell_text(v) for v in values) or any(isinstance(v, Uncomputed) for v in values):
                data.rows.append((i + 1, values))
        result[section.title] = data
    return result


KINDS_BY_LABEL = {
    **{label.casefold(): value for value, label in BudgetYear.Kind.choices},
    **{value: value for value in BudgetYear.Kind.values},
}


def parse_year_header(text: str) -> str | None:
    match = layout.YEAR_HEADER.match(text)
    if not match:
        return None
    kind = KINDS_BY_LABEL.get(match.group(1).casefold())
    return f"{kind}-{match.group(2)}" if kind else None


class Row:
    """One data row of a section: typed access to its cells, problems noted with place."""

    def __init__(self, data: SectionRows, number: int, values, problems: Problems):
        self.data = data
        self.number = number
        self.values = values
        self.problems = problems
        self.columns = {name: i for i, (name, _) in enumerate(data.section.columns)}
        self.ok = True

    def problem(self, column_index, message):
        self.ok = False
        self.problems.add(self.data.sheet, self.number, column_index, message)

    def raw(self, index):
        value = self.values[index] if index < len(self.values) else None
        if isinstance(value, Uncomputed):
            self.problem(
                index,
                f"Cellen innehåller en formel utan beräknat värde (”{value.formula}”). Skriv in "
                "värdet, eller öppna och spara filen i Excel eller LibreOffice först.",
            )
            return None
        return value

    def header(self, name):
        return dict(self.data.section.columns)[name]

    def text(self, name, *, required=False, max_length=None, slug=False) -> str:
        index = self.columns[name]
        value = self.raw(index)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (datetime, date, time)):
            self.problem(index, f"”{self.header(name)}” ska vara text, inte ett datum.")
            return ""
        text = _cell_text(value)
        if required and not text:
            self.problem(index, f"”{self.header(name)}” saknas.")
        elif slug and text and not SLUG.match(text):
            self.problem(
                index,
                f"Koden ”{text}” får bara innehålla bokstäverna a–z, siffror, bindestreck och "
                "understreck.",
            )
        elif max_length is not None and len(text) > max_length:
            self.problem(
                index,
                f"”{self.header(name)}” är för lång ({len(text)} tecken; högst {max_length}).",
            )
        return text

    def choice(self, name, choices, *, required=True, default="") -> str:
        index = self.columns[name]
        text = self.text(name)
        if not text:
            if required and not default:
                self.problem(index, f"”{self.header(name)}” saknas.")
            return default
        for value, label in choices:
            if text.casefold() in (str(value).casefold(), str(label).casefold()):
                return value
        allowed = ", ".join(str(value) for value, _ in choices)
        self.problem(
            index, f"”{text}” är inte ett tillåtet värde för ”{self.header(name)}” ({allowed})."
        )
        return text

    def boolean(self, name) -> bool:
        index = self.columns[name]
        value = self.raw(index)
        if isinstance(value, bool):
            return value
        text = _cell_text(value).casefold()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        self.problem(index, f"Skriv ”Ja” eller lämna tomt, inte ”{_cell_text(value)}”.")
        return False

    def _number(self, name, required):
        """The column's index and number; a missing required number is a problem."""
        index = self.columns[name]
        value = self.number_at(index)
        if value is None and required:
            self.problem(index, f"”{self.header(name)}” saknas.")
        return index, value

    def integer(self, name, *, required=True, low=None, high=None) -> int | None:
        index, value = self._number(name, required)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.problem(index, f"”{self.header(name)}” ska vara ett heltal.")
            return None
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            self.problem(index, f"”{number}” är inte ett rimligt värde för ”{self.header(name)}”.")
            return None
        return number

    def decimal(self, name, *, required=True, places=None, limit=None) -> Decimal | None:
        index, value = self._number(name, required)
        if value is None:
            return None
        return self.check_decimal(index, value, places=places, limit=limit)

    def check_decimal(self, index, value, *, places=None, limit=None):
        if places is not None and value != value.quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        ):
            self.problem(index, f"”{value}” har för många decimaler (högst {places}).")
            return None
        if limit is not None and abs(value) >= limit:
            self.problem(index, f"”{value}” är för stort.")
            return None
        return value

    def number_at(self, index) -> Decimal | None:
        """A number from a numeric cell or from text such as "−1 207,5"; None if empty."""
        value = self.raw(index)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
            self.problem(index, f"”{value}” är inte ett tal.")
            return None
        try:
            return money.parse_amount(value)
        except ValueError as exc:
            self.problem(index, str(exc))
            return None

    def amount_mkr(self, index, *, divisor=1) -> Decimal | None:
        """An amount in mkr, exact to the öre (``divisor`` converts kr or tkr to mkr)."""
        value = self.number_at(index)
        if value is None:
            return None
        value = value / divisor
        if abs(value) >= MAX_MKR:
            self.problem(index, f"Beloppet ”{value}” är för stort.")
            return None
        return value.quantize(MKR_PLACES, rounding=ROUND_HALF_UP)

    def amounts(self) -> dict:
        result = {}
        for index, key in self.data.year_columns:
            value = self.amount_mkr(index)
            if value is not None:
                result[key] = value
        return result

    def has_amounts(self) -> bool:
        return any(
            _cell_text(self.values[i] if i < len(self.values) else None)
            for i, _ in self.data.year_columns
        )
