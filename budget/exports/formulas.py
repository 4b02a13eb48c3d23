"""Spreadsheet formulas from the tables' formula objects (SumOf, Difference, ChangeRatio).

``address`` turns a Ref (row code, column key) into a cell address such as "D8"; a
cell on another sheet is written with the sheet's name ("'Budgetjämförelse'!D8").
"""

import re

from budget.reports.structure import ChangeRatio, Difference, SumOf

_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def render(formula, address) -> str | None:
    """The formula text (starting with "="), or None for a formula with no terms."""
    if isinstance(formula, SumOf):
        return sum_formula([(address(ref), sign) for ref, sign in formula.terms])
    if isinstance(formula, Difference):
        return f"={address(formula.minuend)}-{address(formula.subtrahend)}"
    if isinstance(formula, ChangeRatio):
        return change_ratio(address(formula.new), address(formula.old))
    raise TypeError(f"Okänd formel: {formula!r}")


def sum_formula(terms) -> str | None:
    """=SUM(B5:B12) for a contiguous run of added cells in one column, else =B5+B6-B7."""
    if not terms:
        return None
    if len(terms) > 1 and all(sign == 1 for _, sign in terms):
        cells = [_CELL.match(cell) for cell, _ in terms]
        if all(cells) and len({m.group(1) for m in cells}) == 1:
            rows = [int(m.group(2)) for m in cells]
            if rows == list(range(rows[0], rows[0] + len(rows))):
                return f"=SUM({terms[0][0]}:{terms[-1][0]})"
    text = ""
    for i, (cell, sign) in enumerate(terms):
        if sign == -1:
            text += f"-{cell}"
        else:
            text += cell if i == 0 else f"+{cell}"
    return "=" + text


def change_ratio(new: str, old: str) -> str:
    """The relative change as a fraction; empty where the old figure is zero or missing."""
    return f'=IF({old}=0,"",({new}-{old})/{old})'


def cell_range(sheet_prefix: str, column: str, first_row: int, last_row: int) -> str:
    """One cell, or a range summed: Sheet!E5 or SUM(Sheet!E5:E7)."""
    if first_row == last_row:
        return f"{sheet_prefix}{column}{first_row}"
    return f"SUM({sheet_prefix}{column}{first_row}:{column}{last_row})"
