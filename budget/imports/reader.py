"""From a budget workbook to the loader's data (the layout of fixtures/*/*.toml).

Only the detail sheets are read (see budget/exports/layout.py); the document sheets
are formulas over them. Every problem is collected with its sheet, row and column,
and nothing is returned unless there are none.
"""

from django.conf import settings

from budget.exports import layout
from budget.imports import figures, goals, organisation
from budget.imports.parts import part_sheets, read_parts
from budget.imports.problems import BudgetWorkbookError
from budget.imports.safety import check_upload, read_named_sheets
from budget.imports.sheets import Problems, Row, find_sections


def read_budget_workbook(fileobj, *, max_bytes: int | None = None) -> dict:
    """The plan in the workbook as the loader's data; raises BudgetWorkbookError.

    The file is checked (check_upload) before openpyxl opens it.
    """
    if max_bytes is None:
        max_bytes = settings.BUDGET_UPLOAD_MAX_BYTES
    buffer = check_upload(fileobj, max_bytes=max_bytes)
    rows = _detail_rows(buffer)
    reader = _Reader(rows)
    data = reader.read()
    read_parts(rows, data, reader.problems)  # the sheets the apps add (the calendar, …)
    if reader.problems:
        raise BudgetWorkbookError(reader.problems.items)
    return data


def _detail_rows(buffer) -> dict:
    """{sheet name: rows} of every detail sheet; refuses a workbook without them."""
    return read_named_sheets(
        buffer, layout.DETAIL_SHEETS, missing=_missing_sheets, optional=part_sheets()
    )


def _missing_sheets(names) -> str:
    listed = ", ".join(f"”{name}”" for name in names)
    plural = "bladen" if len(names) > 1 else "bladet"
    return (
        f"Fel mall: {plural} {listed} saknas. Utgå från en arbetsbok som laddats ned "
        "från Budgetuppföljning."
    )


class _Reader:
    """What the sheets' readers share: the rows, the problems so far and the codes read."""

    def __init__(self, rows):
        self.rows = rows
        self.problems = Problems()
        self.year_keys = set()  # "budget-2026", … from "År i planen"
        self.committees = {}  # code -> (committee data, its Row)
        self.committee_codes = set()  # every committee code, also on rows with problems
        self.statements = {}  # kind -> (statement data, row number)
        self.statement_kinds = set()

    def sections(self, sheet, year_keys=frozenset()):
        return find_sections(
            sheet, self.rows[sheet], layout.DETAIL_SHEETS[sheet], self.problems, year_keys
        )

    def each(self, data):
        if data is None:
            return
        for number, values in data.rows:
            yield Row(data, number, values, self.problems)

    def duplicate(self, seen: dict, key, row: Row, column: str, what: str) -> bool:
        if key in seen:
            row.problem(row.columns[column], f"{what} finns redan på rad {seen[key]}.")
            return True
        seen[key] = row.number
        return False

    def read(self) -> dict:
        data = {}
        organisation.read(self, data)  # first: it declares the year columns and codes
        figures.read(self, data)
        goals.read(self, data)
        return data

    def key_values(self, section_data, section):
        """{field: (value, row number)} of a key–value section; problems for unknown keys."""
        labels = {label.casefold(): name for name, label in section.columns}
        result = {}
        for row in self.each(section_data):
            label = row.raw(0)
            name = labels.get(str(label or "").strip().casefold())
            if name is None:
                row.problem(0, f"Okänd uppgift ”{label}”.")
                continue
            value = row.raw(1)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result[name] = (value, row.number)
        return result

    def check_committee(self, row, committee):
        if committee and committee not in self.committee_codes:
            row.problem(
                row.columns["committee"],
                f"Nämnden ”{committee}” finns inte under ”Nämnder” på bladet ”{layout.ORGANISATION_SHEET}”.",
            )
