"""The workbook kit: what every Excel file the application writes shares, in one place.

The content type and the download response (an attachment with a safe file name), the
number formats, fonts, borders and fills, writing cells safely (text is always text, never
a formula; amounts are exact), a new workbook's properties and how a sheet prints. The
budget workbook, the audit log, the tables as shown, the report and reallocation templates,
the council papers and the investment follow-up all use it; followup builds on it (budget
never imports followup).
"""

import gc
import re
import threading
import unicodedata
from collections.abc import Collection
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from budget.money import THOUSAND, kronor_to_mkr
from budget.xlsx_saving import save
from budget.xlsx_values import computed_values, store_values

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATOR = "Budgetuppföljning"

# --- Number formats ---------------------------------------------------------------------
# mkr are shown with one decimal and tkr as whole numbers, both with a thousands separator;
# the exact format keeps every decimal visible so that nothing is hidden by rounding (öre =
# eight decimals of mkr). A cell always holds the exact amount: only the display rounds.
# Percentages as the pages show them: one decimal and a (non-breaking) space, "0,5 %";
# shares of the revenue, which are compared with a target in tenths, with two.
MKR_FORMAT = "#,##0.0;-#,##0.0"
WHOLE_FORMAT = "#,##0;-#,##0"
TKR_FORMAT = WHOLE_FORMAT
MKR_EXACT_FORMAT = "#,##0.0#######;-#,##0.0#######"
PERCENT_FORMAT = '0.0"\u00a0"%'
SHARE_FORMAT = '0.00"\u00a0"%'
NUMBER_FORMAT = "General"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# --- Styles -------------------------------------------------------------------------------
# Every font names its face: a font without a name falls back to a serif face in
# LibreOffice, beside the default style's Calibri.
FONT_NAME = "Calibri"
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
SECTION_FONT = Font(name=FONT_NAME, size=12, bold=True)
ITALIC = Font(name=FONT_NAME, size=11, italic=True)
THIN = Side(style="thin")
DOUBLE = Side(style="double")
TOP_BORDER = Border(top=THIN)
TOTAL_BORDER = Border(top=THIN, bottom=DOUBLE)
HEADER_BORDER = Border(bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a template asks to fill in
RIGHT = Alignment(horizontal="right")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TOP_CENTER = Alignment(horizontal="center", vertical="top")  # a date between texts
CENTER = Alignment(horizontal="center")

FOOTER_SIZE = 8
HEADER_SIZE = 11
HEADER_FONT_NAME = "-,Bold"  # the sheet's own font, bold
PAGES = "Sida &P av &N"


# --- Workbooks ----------------------------------------------------------------------------


def made_at(now=None) -> datetime:
    """``now`` (default: this moment) in local time, naive and to the second: what a
    workbook's properties and footers hold (Excel has no time zones)."""
    return timezone.localtime(now or timezone.now()).replace(tzinfo=None, microsecond=0)


def new_workbook(*, title: str, made: date | datetime) -> Workbook:
    """A workbook (one empty sheet) with its properties: title, creator, when it was made
    (a date counts from midnight). Excel and LibreOffice compute the formulas again on
    opening; ``workbook_bytes`` stores their values for readers that do not."""
    moment = made if isinstance(made, datetime) else datetime.combine(made, time(0, 0))
    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = CREATOR
    wb.properties.created = moment
    wb.properties.modified = moment
    wb.calculation.fullCalcOnLoad = True
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved workbook, every formula cell carrying its computed value
    (budget.xlsx_values): written beside the formula as the sheet is saved, or, for a
    formula openpyxl writes itself, put in afterwards (``store_values``)."""
    values = computed_values(wb)
    buffer = BytesIO()
    if save(wb, buffer, values=values) == len(values):
        return buffer.getvalue()
    return store_values(buffer.getvalue(), values)


@contextmanager
def collection_paused():
    """Python's cyclic garbage collector paused while a large workbook is made, and started
    again afterwards. A paper of thousands of rows makes some 200 000 objects that live
    until it is saved; their growth sets off the collector's full passes over every object
    of the process again and again, which took a third of the time of the month report
    (docs/decisions/0030). Objects freed by their count of references are freed as ever;
    the cyclic garbage made meanwhile (the workbook itself) waits for the next collection.
    Nested and concurrent pauses (threads) hold the collector off until the last one ends;
    a collector that was off stays off."""
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = True


# --- Downloads ----------------------------------------------------------------------------


def safe_filename(name: str, *, default: str = "arbetsbok") -> str:
    """``name`` as a download's file name: ASCII letters, digits, "-", "_" and "." only
    (å, ä and ö become a, a and o; anything else a hyphen), ending in ".xlsx"."""
    stem = name[: -len(".xlsx")] if name.lower().endswith(".xlsx") else name
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    return f"{stem or default}.xlsx"


def download(content: Workbook | bytes, filename: str) -> HttpResponse:
    """A workbook (or its bytes) sent as an attachment named ``filename``, made safe."""
    if isinstance(content, Workbook):
        content = workbook_bytes(content)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response


# --- Cells --------------------------------------------------------------------------------


def put_text(ws, row: int, column: int, value, *, font=None, alignment=None):
    """Text, never a formula: labels and names come from data that users typed.

    openpyxl makes any string that starts with "=" a formula; the data type is set
    back to string after assigning. Characters that XML cannot hold are dropped.
    """
    if value is None or value == "":
        cell = ws.cell(row=row, column=column)
    else:
        cell = ws.cell(row=row, column=column, value=cell_text(value))
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def put_number(ws, row: int, column: int, value, number_format: str):
    """A number (None leaves the cell empty). Decimals are written as their exact decimal
    text; the spreadsheet program reads them as numbers."""
    cell = ws.cell(row=row, column=column)
    if value is not None:
        cell.value = value
    cell.number_format = number_format
    return cell


MAX_TEXT = 32767  # characters: a cell holds no more (openpyxl cuts a longer text)


def cell_text(value) -> str:
    """``value`` as a cell's text: the characters XML cannot hold dropped, cut to what a
    cell holds, as openpyxl's own check cuts it."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_TEXT]


class RowLook:
    """The look of a table's body rows, taken from one row (``row``) styled through
    openpyxl: each further row's cells (``columns``) are made already styled as that row's,
    and written as ``put_text``, ``put_number`` and ``put_formula`` write them. The cells
    carry the very style ids the styled row's do (so the file is the same), without
    openpyxl creating, looking up and styling each cell anew: for the thousands of rows of
    a paper's sheet that was most of the cost of writing it. It leans on openpyxl 3.1's
    insides (a sheet's ``_cells``, a cell's ``_value`` and ``_style``), as budget.xlsx_saving
    does; tests/test_workbook_saving.py holds the papers byte for byte against openpyxl."""

    def __init__(self, ws, row: int, columns):
        self.ws = ws
        self.styles = {}
        for column in columns:
            style = ws.cell(row=row, column=column)._style
            self.styles[column] = None if style is None else StyleArray(style)

    def _cell(self, row: int, column: int, value, kind: str) -> Cell:
        ws = self.ws
        cell = Cell(ws, row=row, column=column, style_array=self.styles[column])
        if value is not None:
            cell._value = value
            cell.data_type = kind
        ws._cells[(row, column)] = cell
        if row > ws._current_row:
            ws._current_row = row
        return cell

    def text(self, row: int, column: int, value) -> Cell:
        """Text, never a formula (``put_text``)."""
        if value is None or value == "":
            return self._cell(row, column, None, "n")
        return self._cell(row, column, cell_text(value), "s")

    def number(self, row: int, column: int, value) -> Cell:
        """A number, None for an empty cell (``put_number``)."""
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float | Decimal)
        ):
            raise TypeError(f"not a number: {value!r}")
        return self._cell(row, column, value, "n")

    def formula(self, row: int, column: int, formula: str) -> Cell:
        """A formula ("=…", ``put_formula``)."""
        if not (isinstance(formula, str) and len(formula) > 1 and formula.startswith("=")):
            raise ValueError(f"not a formula: {formula!r}")
        return self._cell(row, column, formula, "f")


def mkr(kronor) -> Decimal | None:
    """Kronor as exact mkr (no rounding): what a cell holds. None stays None."""
    return None if kronor is None else kronor_to_mkr(kronor)


def tkr(kronor) -> Decimal | None:
    """Kronor as exact tkr. None stays None."""
    return None if kronor is None else Decimal(kronor) / THOUSAND


def put_mkr(ws, row: int, column: int, kronor, number_format: str = MKR_EXACT_FORMAT):
    """An amount stored in kronor, written in mkr without rounding."""
    return put_number(ws, row, column, mkr(kronor), number_format)


def put_formula(ws, row: int, column: int, formula: str, number_format: str):
    cell = ws.cell(row=row, column=column, value=formula)
    cell.number_format = number_format
    return cell


def quote_sheet(name: str) -> str:
    """A sheet name as a formula writes it: 'Ramar per verksamhet'."""
    return "'" + name.replace("'", "''") + "'"


def reference(ws, row: int, column: int) -> str:
    """A cell of ``ws`` as another sheet's formula refers to it: "'Driftredovisning'!K15"."""
    return f"{quote_sheet(ws.title)}!{get_column_letter(column)}{row}"


def column_total(letter: str, first: int, last: int) -> str:
    """A column's sum over the rows; empty where no row has a figure (not 0,0)."""
    cells = f"{letter}{first}:{letter}{last}"
    return f'=IF(COUNT({cells})=0,"",SUM({cells}))'


def difference(row: int, minuend: str, subtrahend: str) -> str:
    """minuend − subtrahend of one row; empty where either is missing."""
    a, b = f"{minuend}{row}", f"{subtrahend}{row}"
    return f'=IF(OR({a}="",{b}=""),"",{a}-{b})'


def header_row(
    ws,
    row: int,
    headers,
    *,
    first_column: int = 1,
    numeric_from: int | None = None,
    numeric: Collection[int] = (),
):
    """A bold, shaded header row. The headers of figures are right-aligned: those of the
    ``numeric`` columns and those from column ``numeric_from`` on (1-based)."""
    for offset, header in enumerate(headers):
        column = first_column + offset
        figures = column in numeric or (numeric_from is not None and column >= numeric_from)
        align = RIGHT if figures else None
        cell = put_text(ws, row, column, header, font=BOLD, alignment=align)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER


def set_widths(ws, widths, *, first_column: int = 1):
    """Column widths, from ``first_column`` on."""
    for column, width in enumerate(widths, start=first_column):
        ws.column_dimensions[get_column_letter(column)].width = width


def total_border(ws, row: int, columns: int):
    """The line above and the double line below a total row."""
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).border = TOTAL_BORDER


def protect(ws):
    """Protect the sheet without a password, a guard against mistakes rather than a lock:
    only its unlocked cells can be edited; columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# --- Printing -----------------------------------------------------------------------------


def escape_header_footer(text: str) -> str:
    """Header and footer text treats "&" as a code; a literal ampersand is "&&"."""
    return text.replace("&", "&&")


def print_setup(
    ws,
    *,
    municipality: str = "",
    title: str = "",
    made_on: date | None = None,
    orientation: str = "landscape",
    header: str = "",
    one_page: bool = False,
):
    """How every workbook prints: A4, one page wide and as many pages down as needed, and a
    footer in small type with the municipality on the left, the title in the middle and
    "Skapad <date> · Sida &P av &N" on the right (the parts not given are left out).
    ``header``, when given, is printed in bold at the top of every page (a preliminary
    paper's "PRELIMINÄR – …"). ``one_page``: a short table printed on one page, rather
    than two rows left over on a second."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    made = escape_header_footer(f"Skapad {made_on.isoformat()}") + " · " if made_on else ""
    footer = ws.oddFooter
    for part, text in (
        (footer.left, escape_header_footer(municipality)),
        (footer.center, escape_header_footer(title)),
        (footer.right, made + PAGES),
    ):
        if text:
            part.text = text
            part.size = FOOTER_SIZE
    if header:
        ws.oddHeader.center.text = escape_header_footer(header)
        ws.oddHeader.center.font = HEADER_FONT_NAME
        ws.oddHeader.center.size = HEADER_SIZE
