"""Any table on screen as a workbook, exactly as shown.

A django-tables2 table is written as the page shows it: the same columns, the same rows
in the same order (the page's sorting and filters), the same rounded figures. Figures in
numeric columns become numbers with the shown number of decimals, so they can be summed
in a spreadsheet; everything else is text (never a formula). A mark the page shows beside
a figure (≠, "the document states …") becomes a cell comment.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from itertools import zip_longest

from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from budget import xlsx
from budget.money import parse_amount
from budget.xlsx import (
    BOLD,
    TITLE_FONT,
    header_row,
    made_at,
    new_workbook,
    print_setup,
    put_number,
    put_text,
)

EXPORT_PARAM = "export"
# A shown figure at the start of a cell: "−1 207,5", "12,3 %", "0,0".
FIGURE = re.compile(r"^\s*(?P<number>[−-]?\d[\d\s\u00a0]*(?:,\d+)?)\s*(?P<percent>%)?(?P<rest>.*)$")


def wants_export(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == "xlsx"


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


def rows_workbook(*, title, context, headers, rows, numeric) -> Workbook:
    """A one-sheet workbook: a title, the headers, the rows of shown texts; figures in
    ``numeric`` columns as numbers with the shown decimals, everything else as text."""
    wb = new_workbook(title=title, made=made_at())
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Tabell"
    put_text(ws, 1, 1, title, font=TITLE_FONT)
    if context:
        put_text(ws, 2, 1, context, font=BOLD)
    first_numeric = next((i + 1 for i, n in enumerate(numeric) if n), len(headers) + 1)
    header_row(ws, 4, headers, numeric_from=first_numeric)
    for r, row in enumerate(rows, start=5):
        for c, shown in enumerate(row, start=1):
            is_number = c <= len(numeric) and numeric[c - 1]
            if is_number and shown not in ("", "–", "-"):
                _put_figure(ws, r, c, shown)
            else:
                put_text(ws, r, c, shown)
    for c, header in enumerate(headers, start=1):
        width = max([len(header)] + [len(row[c - 1]) for row in rows if len(row) >= c] + [8])
        ws.column_dimensions[get_column_letter(c)].width = min(60, width + 2)
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    print_setup(ws, title=title)
    return wb


def table_workbook(table, *, title: str, context: str = "") -> Workbook:
    """A django-tables2 table as a one-sheet workbook, as the page renders it."""
    hidden = [c.name for c in table.columns.iterall() if not c.visible]
    columns = [c for c in table.columns.iterall() if c.visible]
    values = list(table.as_values(exclude_columns=hidden))
    return rows_workbook(
        title=title,
        context=context,
        headers=[_text(h) for h in values[0]],
        rows=[[_text(v) for v in row] for row in values[1:]],
        numeric=[_numeric(c) for c in columns],
    )


def _response(wb, title) -> HttpResponse:
    """The workbook as a download named after the title: budgetjamforelse-2026.xlsx."""
    return xlsx.download(wb, slugify(title) or "tabell")


def table_response(table, *, title: str, context: str = "") -> HttpResponse:
    return _response(table_workbook(table, title=title, context=context), title)


# --- any HTML table of a rendered page -----------------------------------------------------


@dataclass
class HtmlTable:
    caption: str = ""
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    numeric: list = field(default_factory=list)


class _TableParser(HTMLParser):
    """Collects one <table id="…">: its caption, header row and body rows as shown text
    (hidden helper text included), and which columns hold figures (class "num")."""

    def __init__(self, table_id):
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.table = None
        self.depth = 0
        self.cell = None
        self.row = None
        self.row_numeric = None
        self.in_caption = False
        self.in_head = False
        self.skipped = 0  # inside a form control: not part of what the table shows

    SKIPPED = {"form", "button", "select", "textarea", "details", "script", "style"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIPPED:
            self.skipped += 1
            return
        if tag == "table":
            if self.table is None and attrs.get("id") == self.table_id:
                self.table = HtmlTable()
                self.depth = 1
            elif self.depth:
                self.depth += 1
            return
        if self.depth != 1:
            return
        if self.cell is not None and tag in ("br", "span", "p", "div", "small", "li"):
            self.cell.append(" ")  # what the page shows apart stays apart
        if tag == "caption":
            self.in_caption = True
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr":
            self.row, self.row_numeric = [], []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.row_numeric.append("num" in (attrs.get("class") or "").split())
            for _ in range(int(attrs.get("colspan") or 1) - 1):
                self.row.append("")
                self.row_numeric.append(False)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipped = max(0, self.skipped - 1)
            return
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
            return
        if self.depth != 1:
            return
        if tag == "caption":
            self.in_caption = False
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.in_head or not self.table.headers:
                self.table.headers = self.row
                self.table.numeric = self.row_numeric
            else:
                self.table.rows.append(self.row)
                self.table.numeric = [
                    a or b for a, b in zip_longest(self.table.numeric, self.row_numeric)
                ]
            self.row = None

    def handle_data(self, data):
        if self.skipped:
            return
        if self.depth == 1 and self.in_caption:
            self.table.caption += data
        elif self.depth == 1 and self.cell is not None:
            self.cell.append(data)


def html_table(html: str, table_id: str) -> HtmlTable | None:
    parser = _TableParser(table_id)
    parser.feed(html)
    parser.close()
    return parser.table


def html_table_response(html: str, table_id: str, *, title: str) -> HttpResponse | None:
    """The page's table ``table_id`` as a workbook, or None when the page has no such table."""
    table = html_table(html, table_id)
    if table is None or not table.headers:
        return None
    caption = re.sub(r"\s+", " ", table.caption).strip()
    return _response(
        rows_workbook(
            title=caption or title,
            context=title,
            headers=table.headers,
            rows=table.rows,
            numeric=table.numeric,
        ),
        caption or title,
    )
