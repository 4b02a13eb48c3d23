"""The committees' parts of a council paper (sheet "Nämnderna"), as tests read them back.

A part starts with the committee's name in the section font; the line under it says the
report's status; the part runs to the row before the next committee's name.
"""

import math

from openpyxl.utils import get_column_letter

from budget.xlsx import SECTION_FONT
from followup.papers.committee_sheets import COMMITTEES_SHEET


def part_starts(ws) -> dict:
    """{committee name: the row of its heading}, in the sheet's order."""
    return {
        ws.cell(r, 1).value: r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value and ws.cell(r, 1).font.sz == SECTION_FONT.sz
    }


def part_rows(ws, name) -> range:
    """The rows of ``name``'s part, its heading first."""
    starts = sorted(part_starts(ws).values())
    first = part_starts(ws)[name]
    following = [r for r in starts if r > first]
    return range(first, following[0] if following else ws.max_row + 1)


def part_labels(ws, name) -> dict:
    """{the text in column A: its row} within ``name``'s part."""
    return {ws.cell(r, 1).value: r for r in part_rows(ws, name) if ws.cell(r, 1).value}


def part_status(wb, name) -> str:
    """ "Rapportens status: Godkänd": the line under the committee's name."""
    ws = wb[COMMITTEES_SHEET]
    return ws.cell(part_starts(ws)[name] + 1, 1).value


def page_starts(ws) -> list[int]:
    """The first row of each printed page after the first (the sheet's row breaks)."""
    return [b.id + 1 for b in ws.row_breaks.brk]


# A line of 11 pt Calibri holds at most this many characters per unit of column width (a
# digit's width); narrow letters only. A wrapped cell needs at least len / (width × this)
# lines, whatever the font's real metrics.
MOST_CHARACTERS_PER_WIDTH = 1.6
LINE = 15


def too_low(ws) -> list:
    """(cell, height, lines needed at least) of every wrapped cell whose row is lower than
    its text needs, counting the merged columns' widths."""
    merged = {
        (m.min_row, m.min_col): sum(
            ws.column_dimensions[get_column_letter(c)].width or 8.43
            for c in range(m.min_col, m.max_col + 1)
        )
        for m in ws.merged_cells.ranges
    }
    found = []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = (
                merged.get((cell.row, cell.column))
                or ws.column_dimensions[cell.column_letter].width
            )
            lines = sum(
                max(1, math.ceil(len(part) / (width * MOST_CHARACTERS_PER_WIDTH)))
                for part in cell.value.split("\n")
            )
            height = ws.row_dimensions[cell.row].height or LINE
            if height < lines * LINE:
                found.append((cell.coordinate, height, lines))
    return found
