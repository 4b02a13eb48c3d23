"""Every paper prints like a document: LibreOffice renders it to PDF (with Carlito, which
has Calibri's metrics) and each page is read back as text. No figure is too wide for its
column ("###"), and no page carries fewer than three rows of its table: a page that holds
a stray row or two, or a sheet of one row, is not one a finance department sends.
"""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.papers import PAPERS, demo_papers
from tests.tooling import printed_pages_of_each

__all__ = ["demo_papers"]  # the fixture, used by the test below

pytestmark = pytest.mark.libreoffice

FOOTER = re.compile(r"Sida \d+ av \d+")
MIN_ROWS = 3


def table_headers(content: bytes) -> dict[str, str]:
    """sheet title → the first cell of the last row printed as a title on every page (the
    table's header row): the rows below it on a page are the table's."""
    wb = load_workbook(BytesIO(content))
    headers = {}
    for ws in wb.worksheets:
        titles = ws.print_title_rows
        if titles:
            last = int(titles.split(":")[-1].lstrip("$"))
            first_cell = next((c.value for c in ws[last] if c.value not in (None, "")), None)
            if first_cell is not None:
                headers[ws.title] = str(first_cell).split("\n")[-1].strip()
    return headers


def rows_on(page: str, headers) -> tuple[str, int]:
    """(the sheet the page belongs to, by its footer; the number of table rows it prints)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    footer = next((line for line in reversed(lines) if FOOTER.search(line)), "")
    sheet = next((title for title in headers if title in footer), "")
    body = [line for line in lines if line != footer]
    header = headers.get(sheet)
    if header is not None:
        starts = [i for i, line in enumerate(body) if line.startswith(header)]
        if starts:
            body = body[starts[0] + 1 :]
    return sheet or footer, len(body)


def test_each_paper_prints_every_figure_and_no_page_of_a_stray_row_or_two(demo_papers, tmp_path):
    """All the papers printed in one LibreOffice run (starting it costs more than a paper)."""
    printed = printed_pages_of_each(demo_papers, tmp_path)

    assert set(printed) == set(PAPERS)
    for name, pages in printed.items():
        headers = table_headers(demo_papers[name])
        assert pages, name
        assert [n for n, page in enumerate(pages, start=1) if "###" in page] == [], name
        thin = []
        for number, page in enumerate(pages, start=1):
            sheet, rows = rows_on(page, headers)
            if rows < MIN_ROWS:
                thin.append((number, sheet, rows))
        assert thin == [], name
