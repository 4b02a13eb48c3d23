"""Checks that hold for every workbook the application writes."""

import re
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from budget.money import kronor_to_mkr, round_half_up, round_mkr

# A cell or a range in a formula: A1, $B$2, C3:D4 (not a sheet-qualified or function name).
CELL_REFERENCE = re.compile(r"(?<![A-Z$!])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def formulas_and_self_references(workbook) -> tuple[int, list[tuple[str, str]]]:
    """How many formulas the workbook has, and (sheet, cell) of every one that refers to
    its own cell (a circular reference a spreadsheet program refuses to compute)."""
    formulas, circular = 0, []
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                formulas += 1
                for a, r1, b, r2 in CELL_REFERENCE.findall(cell.value.replace('""', "")):
                    b, r2 = b or a, r2 or r1
                    inside_columns = a <= cell.column_letter <= b and len(a) == len(b) == 1
                    inside_rows = int(r1) <= cell.row <= int(r2)
                    if inside_columns and inside_rows:
                        circular.append((ws.title, cell.coordinate))
    return formulas, circular


# How every sheet of a report paper (the month report, the interim report) prints: A4
# landscape, the heading rows on every page, panes frozen and "Sida 1 av 3" in the footer.
REPORT_SHEET_PRINTING = {
    "orientation": "landscape",
    "paper size": Worksheet.PAPERSIZE_A4,
    "rows repeated on every page": "$1:$5",
    "panes frozen": True,
    "footer ends with the page numbers": True,
}


def rows_by_label(ws) -> dict:
    """{the text in column A: its row number} of a sheet."""
    return {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}


def printing(ws) -> dict:
    """How a sheet prints, in the terms of REPORT_SHEET_PRINTING."""
    return {
        "orientation": ws.page_setup.orientation,
        "paper size": str(ws.page_setup.paperSize),
        "rows repeated on every page": ws.print_title_rows,
        "panes frozen": ws.freeze_panes is not None,
        "footer ends with the page numbers": (ws.oddFooter.right.text or "").endswith(
            "Sida &P av &N"
        ),
    }


# The papers write amounts as mkr with every öre kept: eight decimals of mkr.
EIGHT_DECIMALS = Decimal("0.00000001")


def exact(value) -> Decimal | None:
    """A cell's number as exact mkr, to the öre (a double holds 15 significant digits)."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(EIGHT_DECIMALS)


def expected_mkr(kronor) -> Decimal | None:
    """An amount in kronor as the papers' cells should hold it: exact mkr."""
    return None if kronor is None else kronor_to_mkr(kronor).quantize(EIGHT_DECIMALS)


def shown_mkr(text) -> Decimal | None:
    """A cell as a spreadsheet program recomputed it, as the paper shows it: mkr with one
    decimal (None for an empty cell)."""
    return None if text == "" else round_half_up(Decimal(text), 1)


def rounded_mkr(kronor) -> Decimal | None:
    """An amount in kronor as the paper shows it: mkr with one decimal."""
    return None if kronor is None else round_mkr(kronor)


def formula_cells(content):
    """{sheet!cell: stored value} of every formula cell in the file."""
    formulas = load_workbook(BytesIO(content))
    stored = load_workbook(BytesIO(content), data_only=True)
    return {
        f"{ws.title}!{cell.coordinate}": stored[ws.title][cell.coordinate].value
        for ws in formulas.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


def _same(a, b) -> bool:
    """Stored and recomputed values alike: numbers to 1e-9, an empty result as "" or None."""
    if a in ("", None) or b in ("", None):
        return a in ("", None) and b in ("", None)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("1e-9")
    return a == b


def assert_stores_what_libreoffice_computes(content: bytes, tmp_path) -> None:
    """Every formula cell of the file stores the value LibreOffice computes for it."""
    from tests.tooling import recomputed_by_libreoffice

    assert differences_from_libreoffice(content, recomputed_by_libreoffice(content, tmp_path)) == {}


def differences_from_libreoffice(content: bytes, recomputed: bytes) -> dict:
    """{sheet!cell: (stored, computed)} of every formula cell of the file (``content``) whose
    stored value is not the one in ``recomputed``, the file as LibreOffice saved it after
    computing every formula itself."""
    ours = formula_cells(content)
    assert ours, "the workbook has formulas"
    theirs = load_workbook(BytesIO(recomputed), data_only=True)
    differing = {}
    for address, value in ours.items():
        sheet, cell = address.rsplit("!", 1)
        computed = theirs[sheet][cell].value
        if not _same(value, computed):
            differing[address] = (value, computed)
    return differing
