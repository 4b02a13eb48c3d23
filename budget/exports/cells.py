"""Writing cells safely: text is always text, amounts are exact, styles in one place."""

from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from budget.exports.layout import MKR_EXACT_FORMAT
from budget.money import kronor_to_mkr

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
RIGHT = Alignment(horizontal="right")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center")


def put_text(ws, row: int, column: int, value, *, font=None, alignment=None):
    """Text, never a formula: labels and names come from data that users typed.

    openpyxl makes any string that starts with "=" a formula; the data type is set
    back to string after assigning. Characters that XML cannot hold are dropped.
    """
    if value is None or value == "":
        cell = ws.cell(row=row, column=column)
    else:
        cell = ws.cell(row=row, column=column, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
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


def put_mkr(ws, row: int, column: int, kronor, number_format: str = MKR_EXACT_FORMAT):
    """An amount stored in kronor, written in mkr without rounding."""
    return put_number(ws, row, column, None if kronor is None else mkr(kronor), number_format)


def mkr(kronor) -> Decimal:
    return kronor_to_mkr(kronor)


def put_formula(ws, row: int, column: int, formula: str, number_format: str):
    cell = ws.cell(row=row, column=column, value=formula)
    cell.number_format = number_format
    return cell


def header_row(ws, row: int, headers, *, first_column: int = 1, numeric_from: int | None = None):
    """A bold, shaded header row; headers from ``numeric_from`` (1-based) on are right-aligned."""
    for offset, header in enumerate(headers):
        column = first_column + offset
        align = RIGHT if numeric_from is not None and column >= numeric_from else None
        cell = put_text(ws, row, column, header, font=BOLD, alignment=align)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER


def escape_header_footer(text: str) -> str:
    """Header and footer text treats "&" as a code; a literal ampersand is "&&"."""
    return text.replace("&", "&&")


def print_setup(ws, *, municipality: str, title: str, moment, orientation: str = "landscape"):
    """A4, one page wide, and a footer with the municipality, the paper's title, when it
    was made and "Sida &P av &N": how every council paper in Excel prints."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer = ws.oddFooter
    footer.left.text = escape_header_footer(municipality)
    footer.center.text = escape_header_footer(title)
    footer.right.text = (
        escape_header_footer(f"Skapad {moment.date().isoformat()}") + " · Sida &P av &N"
    )
    for part in (footer.left, footer.center, footer.right):
        part.size = 8
