"""Any table on screen as a workbook, exactly as shown.

A django-tables2 table is written as the page shows it: the same columns, the same rows
in the same order (the page's sorting and filters), the same rounded figures. Figures in
numeric columns become numbers with the shown number of decimals, so they can be summed
in a spreadsheet; everything else is text (never a formula). A mark the page shows beside
a figure (≠, "the document states …") becomes a cell comment.
"""

import re
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from ..money import parse_amount
from .cells import BOLD, TITLE_FONT, escape_header_footer, header_row, put_number, put_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARAM = "export"
# A shown figure at the start of a cell: "−1 207,5", "12,3 %", "0,0".
FIGURE = re.compile(r"^\s*(?P<number>[−-]?\d[\d\s\u00a0]*(?:,\d+)?)\s*(?P<percent>%)?(?P<rest>.*)$")


def wants_export(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == "xlsx"


def export_url(request) -> str:
    """The page's own address with the export asked for: same sorting and filters."""
    query = request.GET.copy()
    query[EXPORT_PARAM] = "xlsx"
    return f"{request.path}?{query.urlencode()}"


def _numeric(bound_column) -> bool:
    return "num" in (bound_column.attrs.get("td", {}).get("class") or "")


def _text(value) -> str:
    """A cell's shown text: HTML removed, hidden helper text kept once, spaces tidied."""
    return re.sub(r"[ \t\r\n]+", " ", strip_tags(str(value or ""))).strip()


def _put_figure(ws, row, column, shown: str):
    match = FIGURE.match(shown)
    if not match:
        put_text(ws, row, column, shown)
        return
    number = parse_amount(match["number"])
    places = len(match["number"].split(",")[1]) if "," in match["number"] else 0
    if match["percent"]:
        number /= Decimal(100)
        places += 2
        fmt = "0" + ("." + "0" * (places - 2) if places > 2 else "") + "%"
    else:
        decimals = "." + "0" * places if places else ""
        fmt = f"#,##0{decimals};-#,##0{decimals}"
    cell = put_number(ws, row, column, number, fmt)
    rest = re.sub(r"^[≠\s(]+|[)\s]+$", "", match["rest"])
    if rest:
        cell.comment = Comment(rest[:1].upper() + rest[1:], "Budgetuppföljning")


def table_workbook(table, *, title: str, context: str = "") -> Workbook:
    """The table as a one-sheet workbook with a title, its headers and its rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Tabell"
    put_text(ws, 1, 1, title, font=TITLE_FONT)
    if context:
        put_text(ws, 2, 1, context, font=BOLD)
    hidden = [c.name for c in table.columns.iterall() if not c.visible]
    columns = [c for c in table.columns.iterall() if c.visible]
    values = list(table.as_values(exclude_columns=hidden))
    headers = [_text(h) for h in values[0]]
    numeric = [_numeric(c) for c in columns]
    first_numeric = next((i + 1 for i, n in enumerate(numeric) if n), len(headers) + 1)
    header_row(ws, 4, headers, numeric_from=first_numeric)
    for r, row in enumerate(values[1:], start=5):
        for c, (value, is_number) in enumerate(zip(row, numeric, strict=False), start=1):
            shown = _text(value)
            if is_number and shown not in ("", "–", "-"):
                _put_figure(ws, r, c, shown)
            else:
                put_text(ws, r, c, shown)
    for c, header in enumerate(headers, start=1):
        width = max([len(header)] + [len(_text(row[c - 1])) for row in values[1:]] + [8])
        ws.column_dimensions[get_column_letter(c)].width = min(60, width + 2)
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.oddFooter.center.text = escape_header_footer(title) + " · Sida &P av &N"
    return wb


def table_response(table, *, title: str, context: str = "") -> HttpResponse:
    buffer = BytesIO()
    table_workbook(table, title=title, context=context).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    name = slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o")) or "tabell"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
